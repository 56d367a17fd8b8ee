package dev.nsdp.dataplane.port;

import dev.nsdp.dataplane.buffer.BufferCache;
import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.buffer.PacketVector;
import dev.nsdp.dataplane.nativ.PollFd;
import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture: the smallest forwarder there is. One thread receives from each of two ports and
 * transmits to the other, frame for frame (a two-port bridge without a MAC table), and blocks in
 * poll() when both are idle. No pipeline: what goes through it is exactly what the ports make of the
 * kernel's frames. A vector that the egress ring cannot take at once is held (back-pressure), not dropped.
 */
final class PortBridge implements AutoCloseable {
    private static final int POOL_BUFFERS = 8192;

    private final PacketSocketPort a;
    private final PacketSocketPort b;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    PortBridge(final PacketSocketPort a, final PacketSocketPort b) {
        this.a = a;
        this.b = b;
        this.thread = Thread.ofPlatform().name("port-bridge").daemon(true).start(this::run);
    }

    private void run() {
        try (PacketPool pool = new PacketPool(POOL_BUFFERS); Arena arena = Arena.ofConfined()) {
            final BufferCache cache = pool.newCache(512);
            final PacketVector aToB = new PacketVector();
            final PacketVector bToA = new PacketVector();
            final PollFd poll = new PollFd(arena, 2);
            poll.add(a.pollFd(), PollFd.POLLIN);
            poll.add(b.pollFd(), PollFd.POLLIN);
            try {
                while (running) {
                    final int before = aToB.count() + bToA.count();
                    final long sent = forward(a, b, aToB, cache) + forward(b, a, bToA, cache);
                    if (sent == 0 && before == 0 && aToB.count() == 0 && bToA.count() == 0) {
                        a.isLinkUp(); // clears a pending socket error, so poll() does not report it forever
                        b.isLinkUp();
                        poll.poll(1);
                    }
                }
            } finally {
                aToB.freeAll(cache);
                bToA.freeAll(cache);
                cache.flush();
            }
        } catch (final Throwable t) {
            failure = t;
        }
    }

    private static int forward(final PacketSocketPort from, final PacketSocketPort to, final PacketVector vector,
                               final BufferCache cache) {
        if (vector.count() == 0) {
            from.receive(vector, 0, cache);
        }
        if (vector.count() == 0) {
            return 0;
        }
        final int taken = to.transmit(vector, cache);
        vector.removeFirst(taken);
        return taken;
    }

    /** Stops the thread (bounded wait) and rethrows anything it failed with. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new AssertionError("bridge thread did not stop");
        }
        if (failure != null) {
            throw new AssertionError("bridge thread failed", failure);
        }
    }
}

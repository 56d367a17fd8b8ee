package dev.nsdp.dataplane.pipeline;

import dev.nsdp.dataplane.buffer.BufferCache;
import dev.nsdp.dataplane.buffer.Descriptor;
import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.port.MemoryLink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.agrona.concurrent.CachedNanoClock;

/**
 * A worker driven by the test thread, with hosts on memory links: each host is the far end of a
 * {@link MemoryLink} whose near end is a worker port, exactly as a kernel host sits on a veth.
 */
final class SwitchHarness implements AutoCloseable {
    final PacketPool pool;
    final BufferCache hostCache;
    final CachedNanoClock clock = new CachedNanoClock();
    final Worker worker;
    final WorkerProxy proxy;
    private final Map<String, MemoryLink> links = new HashMap<>();
    private final Map<String, Integer> portIndex = new HashMap<>();

    SwitchHarness() {
        this(16384, 4096);
    }

    SwitchHarness(final int buffers, final int macEntries) {
        pool = new PacketPool(buffers);
        hostCache = pool.newCache(256);
        worker = new Worker("test-worker", pool, macEntries, clock);
        proxy = new WorkerProxy(worker);
    }

    /** Attaches a new host link as port {@code index} in namespace {@code ns}, admin up. */
    MemoryLink attach(final String host, final int index, final int ns) {
        final MemoryLink link = new MemoryLink(host, "dp-" + host, 1024);
        links.put(host, link);
        portIndex.put(host, index);
        proxy.portAttached(index, link.b(), ns, true);
        return link;
    }

    int port(final String host) {
        return portIndex.get(host);
    }

    MemoryLink link(final String host) {
        return links.get(host);
    }

    /** The host transmits a frame into its link. */
    void send(final String host, final byte[] frame) {
        final int index = hostCache.allocate();
        if (index < 0) {
            throw new IllegalStateException("pool exhausted in test");
        }
        final long d = Descriptor.of(index, pool.headroom(), frame.length);
        pool.view().putBytes(pool.offsetOf(d), frame);
        if (!links.get(host).a().transmit(d)) {
            hostCache.free(d);
            throw new IllegalStateException("link of " + host + " full or down");
        }
    }

    /** Applies pending configuration and runs the worker until it has nothing more to do. */
    void run() {
        worker.applyPendingCommands();
        for (int i = 0; i < 100 && worker.doWork() > 0; i++) {
            // bounded: a test never needs more than a few rounds
        }
    }

    /** Everything the host has received since the last call, as byte arrays. */
    List<byte[]> received(final String host) {
        final List<byte[]> frames = new ArrayList<>();
        final MemoryLink.End end = links.get(host).a();
        long d;
        while ((d = end.receive()) != -1L) {
            final byte[] bytes = new byte[Descriptor.length(d)];
            pool.view().getBytes(pool.offsetOf(d), bytes);
            frames.add(bytes);
            hostCache.free(d);
        }
        return frames;
    }

    void advanceMillis(final long ms) {
        clock.update(clock.nanoTime() + ms * 1_000_000L);
    }

    WorkerCounters counters() {
        return worker.counters();
    }

    @Override
    public void close() {
        worker.onClose();
        pool.close();
    }
}

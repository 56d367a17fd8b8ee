package dev.nsdp.perf.loop;

import dev.nsdp.dataplane.buffer.BufferCache;
import dev.nsdp.dataplane.buffer.PacketVector;
import dev.nsdp.dataplane.port.Port;
import org.agrona.concurrent.NanoClock;

/**
 * A port that receives nothing for a set time: from {@code stallAtNanos} (on {@code clock}) for
 * {@code stallNanos}, {@link #receive} returns no frames, as a DUT or sink that stopped polling
 * would; the frames wait in the inner port (a memory ring: once it is full the sender is refused).
 * Transmit is passed through. This is how the loop command injects a stall of known length, to
 * show what coordinated-omission correction must and does report.
 */
public final class StallingPort implements Port {
    private final Port inner;
    private final NanoClock clock;
    private volatile long stallAtNanos;
    private volatile long stallNanos;

    public StallingPort(final Port inner, final NanoClock clock, final long stallAtNanos, final long stallNanos) {
        this.inner = inner;
        this.clock = clock;
        this.stallAtNanos = stallAtNanos;
        this.stallNanos = stallNanos;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public boolean isLinkUp() {
        return inner.isLinkUp();
    }

    /** Moves the stall (any thread): from {@code atNanos} on the port's clock, for {@code forNanos}. */
    public void schedule(final long atNanos, final long forNanos) {
        this.stallNanos = 0;
        this.stallAtNanos = atNanos;
        this.stallNanos = forNanos;
    }

    /** True while the stall lasts. */
    public boolean stalled() {
        final long since = clock.nanoTime() - stallAtNanos;
        return since >= 0 && since < stallNanos;
    }

    @Override
    public int receive(final PacketVector into, final int portIndex, final BufferCache cache) {
        return stalled() ? 0 : inner.receive(into, portIndex, cache);
    }

    @Override
    public int transmit(final PacketVector from, final BufferCache cache) {
        return inner.transmit(from, cache);
    }

    @Override
    public int pollFd() {
        return inner.pollFd();
    }

    @Override
    public void close(final BufferCache cache) {
        inner.close(cache);
    }
}

package dev.nsdp.perf.testing;

import dev.nsdp.dataplane.buffer.BufferCache;
import dev.nsdp.dataplane.buffer.PacketVector;
import dev.nsdp.dataplane.port.Port;
import org.agrona.concurrent.NanoClock;

/**
 * A port that delivers what its inner port receives exactly {@code delayNanos} later: each receive
 * first takes every frame the inner port has (stamping it with the clock) into a FIFO, then hands
 * out the frames whose time has come. Transmit goes straight to the inner port. With a stepped
 * clock and a sink that polls every step, a frame sent at t is delivered at the first poll at or
 * after t + delay: the measured latency is the delay within one clock step.
 */
public final class DelayPort implements Port {
    private final Port inner;
    private final NanoClock clock;
    private final long delayNanos;
    private final long[] descriptors;
    private final long[] arrivals;
    private final PacketVector staging = new PacketVector();
    private long head;
    private long tail;

    public DelayPort(final Port inner, final NanoClock clock, final long delayNanos, final int capacity) {
        this.inner = inner;
        this.clock = clock;
        this.delayNanos = delayNanos;
        this.descriptors = new long[capacity];
        this.arrivals = new long[capacity];
    }

    @Override
    public String name() {
        return "delay(" + inner.name() + ")";
    }

    @Override
    public boolean isLinkUp() {
        return inner.isLinkUp();
    }

    @Override
    public int receive(final PacketVector into, final int portIndex, final BufferCache cache) {
        final long now = clock.nanoTime();
        while (true) {
            staging.clear();
            final int n = inner.receive(staging, portIndex, cache);
            if (n == 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                if (tail - head == descriptors.length) {
                    throw new IllegalStateException("delay FIFO overflow: capacity " + descriptors.length);
                }
                final int slot = (int) (tail++ % descriptors.length);
                descriptors[slot] = staging.descriptor(i);
                arrivals[slot] = now;
            }
        }
        int given = 0;
        while (head < tail && into.space() > 0) {
            final int slot = (int) (head % descriptors.length);
            if (now - arrivals[slot] < delayNanos) {
                break;
            }
            into.add(descriptors[slot], portIndex);
            head++;
            given++;
        }
        return given;
    }

    @Override
    public int transmit(final PacketVector from, final BufferCache cache) {
        return inner.transmit(from, cache);
    }

    public long held() {
        return tail - head;
    }

    @Override
    public void close(final BufferCache cache) {
        while (head < tail) {
            if (cache != null) {
                cache.free(descriptors[(int) (head % descriptors.length)]);
            }
            head++;
        }
        inner.close(cache);
    }
}

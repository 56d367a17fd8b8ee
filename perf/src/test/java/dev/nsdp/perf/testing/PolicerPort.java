package dev.nsdp.perf.testing;

import dev.nsdp.dataplane.buffer.BufferCache;
import dev.nsdp.dataplane.buffer.PacketVector;
import dev.nsdp.dataplane.port.Port;
import org.agrona.concurrent.NanoClock;

/**
 * A receive-side wrapper that forwards at most {@code ratePps} on average (a token bucket of
 * {@code depth} frames) and drops the rest: a DUT with a fixed forwarding capacity and no queue to
 * speak of, so offering more than the capacity loses frames.
 */
public final class PolicerPort implements Port {
    private final Port inner;
    private final NanoClock clock;
    private final long ratePps;
    private final long depth;
    private final PacketVector staging = new PacketVector();
    private long tokensTimesSecond;
    private long last;
    public long dropped;

    public PolicerPort(final Port inner, final NanoClock clock, final long ratePps, final long depth) {
        this.inner = inner;
        this.clock = clock;
        this.ratePps = ratePps;
        this.depth = depth;
        this.last = clock.nanoTime();
        this.tokensTimesSecond = depth * 1_000_000_000L;
    }

    @Override
    public String name() {
        return "policer(" + inner.name() + ")";
    }

    @Override
    public boolean isLinkUp() {
        return inner.isLinkUp();
    }

    @Override
    public int receive(final PacketVector into, final int portIndex, final BufferCache cache) {
        final long now = clock.nanoTime();
        tokensTimesSecond = Math.min(depth * 1_000_000_000L, tokensTimesSecond + (now - last) * ratePps);
        last = now;
        staging.clear();
        final int n = inner.receive(staging, portIndex, cache);
        int given = 0;
        for (int i = 0; i < n; i++) {
            if (tokensTimesSecond >= 1_000_000_000L && into.space() > 0) {
                tokensTimesSecond -= 1_000_000_000L;
                into.add(staging.descriptor(i), portIndex);
                given++;
            } else {
                cache.free(staging.descriptor(i));
                dropped++;
            }
        }
        return given;
    }

    @Override
    public int transmit(final PacketVector from, final BufferCache cache) {
        return inner.transmit(from, cache);
    }

    @Override
    public void close(final BufferCache cache) {
        inner.close(cache);
    }
}

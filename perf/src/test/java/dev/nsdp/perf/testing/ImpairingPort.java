package dev.nsdp.perf.testing;

import dev.nsdp.dataplane.buffer.BufferCache;
import dev.nsdp.dataplane.buffer.Descriptor;
import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.buffer.PacketVector;
import dev.nsdp.dataplane.port.Port;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A receive-side wrapper that damages the frame sequence it passes on, deterministically by the
 * index of each frame it takes from the inner port (0, 1, 2, ... across all streams): frames in
 * {@code drop} are freed, frames in {@code duplicate} are delivered twice (the copy in a new
 * buffer, delivered right after the original), frames in {@code holdBack} are delivered after the
 * next {@code k} frames instead (reordering). Test code: it allocates freely.
 */
public final class ImpairingPort implements Port {
    private final Port inner;
    private final PacketPool pool;
    private final Set<Long> drop;
    private final Set<Long> duplicate;
    private final Map<Long, Integer> holdBack;
    private final PacketVector staging = new PacketVector();
    private final ArrayDeque<Long> out = new ArrayDeque<>();
    /** Held frames by the index after whose delivery they go out. */
    private final Map<Long, ArrayDeque<Long>> held = new HashMap<>();
    private long index;
    public long dropped;
    public long duplicated;
    public long reordered;

    public ImpairingPort(final Port inner, final PacketPool pool, final Set<Long> drop, final Set<Long> duplicate,
        final Map<Long, Integer> holdBack) {
        this.inner = inner;
        this.pool = pool;
        this.drop = new HashSet<>(drop);
        this.duplicate = new HashSet<>(duplicate);
        this.holdBack = new HashMap<>(holdBack);
    }

    @Override
    public String name() {
        return "impair(" + inner.name() + ")";
    }

    @Override
    public boolean isLinkUp() {
        return inner.isLinkUp();
    }

    @Override
    public int receive(final PacketVector into, final int portIndex, final BufferCache cache) {
        staging.clear();
        final int n = inner.receive(staging, portIndex, cache);
        for (int i = 0; i < n; i++) {
            final long d = staging.descriptor(i);
            final long at = index++;
            if (drop.contains(at)) {
                cache.free(d);
                dropped++;
            } else if (holdBack.containsKey(at)) {
                held.computeIfAbsent(at + holdBack.get(at), k -> new ArrayDeque<>()).add(d);
                reordered++;
            } else {
                out.add(d);
                if (duplicate.contains(at)) {
                    out.add(copy(d, cache));
                    duplicated++;
                }
            }
            final ArrayDeque<Long> due = held.remove(at);
            if (due != null) {
                out.addAll(due);
            }
        }
        int given = 0;
        while (!out.isEmpty() && into.space() > 0) {
            into.add(out.poll(), portIndex);
            given++;
        }
        return given;
    }

    private long copy(final long d, final BufferCache cache) {
        final int index = cache.allocate();
        if (index < 0) {
            throw new IllegalStateException("pool exhausted while duplicating");
        }
        final long copy = Descriptor.of(index, Descriptor.offset(d), Descriptor.length(d));
        pool.view().putBytes(pool.offsetOf(copy), pool.view(), pool.offsetOf(d), Descriptor.length(d));
        return copy;
    }

    /** Frames held back whose release index was never reached. */
    public int stillHeld() {
        return held.values().stream().mapToInt(ArrayDeque::size).sum();
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

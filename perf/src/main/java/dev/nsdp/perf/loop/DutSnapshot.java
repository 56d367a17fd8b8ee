package dev.nsdp.perf.loop;

import dev.nsdp.dataplane.counter.DropReason;
import dev.nsdp.dataplane.pipeline.WorkerCounters;

/**
 * The DUT worker's own counters, read from the reporting thread (plain reads of counters the worker
 * alone writes: each value is recent, and a run's figures come from differences over seconds).
 * Busy time per frame is what the anchors ask a benchmark to report beside the rate: the worker's
 * time in rounds that found frames, divided by the frames it handled.
 */
public record DutSnapshot(long busyPolls, long idlePolls, long busyNanos, long frames, long drops, long[] dropsByReason) {
    public static DutSnapshot of(final WorkerCounters c) {
        final long[] reasons = new long[DropReason.values().length];
        for (final DropReason r : DropReason.values()) {
            reasons[r.ordinal()] = c.drops(r);
        }
        return new DutSnapshot(c.busyPolls, c.idlePolls, c.busyNanos, c.vectorPackets, c.totalDrops(), reasons);
    }

    public DutSnapshot minus(final DutSnapshot before) {
        final long[] reasons = new long[dropsByReason.length];
        for (int i = 0; i < reasons.length; i++) {
            reasons[i] = dropsByReason[i] - before.dropsByReason[i];
        }
        return new DutSnapshot(busyPolls - before.busyPolls, idlePolls - before.idlePolls, busyNanos - before.busyNanos,
            frames - before.frames, drops - before.drops, reasons);
    }

    /** "tx-ring-full 12, ..." for the reasons that dropped anything, or "none". */
    public String dropReasons() {
        final StringBuilder b = new StringBuilder();
        for (final DropReason r : DropReason.values()) {
            if (r != DropReason.NONE && dropsByReason[r.ordinal()] > 0) {
                b.append(b.isEmpty() ? "" : ", ").append(r.counterName()).append(' ').append(dropsByReason[r.ordinal()]);
            }
        }
        return b.isEmpty() ? "none" : b.toString();
    }

    public double busyNanosPerFrame() {
        return frames > 0 ? (double) busyNanos / frames : 0;
    }

    public double framesPerBusyPoll() {
        return busyPolls > 0 ? (double) frames / busyPolls : 0;
    }
}

package dev.nsdp.perf.loop;

import dev.nsdp.dataplane.pipeline.WorkerCounters;

/**
 * The DUT worker's own counters, read from the reporting thread (plain reads of counters the worker
 * alone writes: each value is recent, and a run's figures come from differences over seconds).
 * Busy time per frame is what the anchors ask a benchmark to report beside the rate: the worker's
 * time in rounds that found frames, divided by the frames it handled.
 */
public record DutSnapshot(long busyPolls, long idlePolls, long busyNanos, long frames, long drops) {
    public static DutSnapshot of(final WorkerCounters c) {
        return new DutSnapshot(c.busyPolls, c.idlePolls, c.busyNanos, c.vectorPackets, c.totalDrops());
    }

    public DutSnapshot minus(final DutSnapshot before) {
        return new DutSnapshot(busyPolls - before.busyPolls, idlePolls - before.idlePolls, busyNanos - before.busyNanos,
            frames - before.frames, drops - before.drops);
    }

    public double busyNanosPerFrame() {
        return frames > 0 ? (double) busyNanos / frames : 0;
    }

    public double framesPerBusyPoll() {
        return busyPolls > 0 ? (double) frames / busyPolls : 0;
    }
}

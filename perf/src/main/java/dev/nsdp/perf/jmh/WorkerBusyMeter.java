package dev.nsdp.perf.jmh;

import dev.nsdp.dataplane.pipeline.WorkerCounters;

/**
 * The worker's own cost over one benchmark iteration: busy nanoseconds per frame it received,
 * read from its counters. The JMH score also pays the generator and the sink that share the
 * thread (and, on a loaded machine, the scheduler); this isolates the worker.
 */
final class WorkerBusyMeter {
    private long busyNanos;
    private long packets;

    void start(final WorkerCounters counters) {
        busyNanos = counters.busyNanos;
        packets = counters.vectorPackets;
    }

    double nanosPerFrame(final WorkerCounters counters) {
        return (counters.busyNanos - busyNanos) / (double) (counters.vectorPackets - packets);
    }
}

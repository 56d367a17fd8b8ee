package dev.nsdp.perf.sink;

/**
 * One interval of a run as reports show it: times in seconds from the run's start, counts, and the
 * latency figures of the interval alone. {@code expected} is the offered load as the sink sees it
 * (growth of highest sequence + 1 over all streams).
 */
public record IntervalRow(double startSeconds, double endSeconds, long received, long receivedBytes, long expected,
    long unique, long duplicates, long reordered, long invalid, LatencySummary corrected, LatencySummary uncorrected) {

    public static IntervalRow of(final IntervalSample s, final long baseNanos) {
        return new IntervalRow((s.startNanos - baseNanos) / 1e9, (s.endNanos - baseNanos) / 1e9, s.received, s.receivedBytes,
            s.expected, s.unique, s.duplicates, s.reordered, s.invalid, LatencySummary.of(s.corrected),
            LatencySummary.of(s.uncorrected));
    }

    /** An interval in which nothing arrived (the sink was stalled, or nothing was sent). */
    public static IntervalRow empty(final double start, final double end) {
        return new IntervalRow(start, end, 0, 0, 0, 0, 0, 0, 0, LatencySummary.EMPTY, LatencySummary.EMPTY);
    }

    public double seconds() {
        return endSeconds - startSeconds;
    }

    public long lost() {
        return expected - unique;
    }

    public double receivedPps() {
        return seconds() > 0 ? received / seconds() : 0;
    }

    public double offeredPps() {
        return seconds() > 0 ? expected / seconds() : 0;
    }

    public double receivedBitsPerSecond() {
        return seconds() > 0 ? receivedBytes * 8.0 / seconds() : 0;
    }
}

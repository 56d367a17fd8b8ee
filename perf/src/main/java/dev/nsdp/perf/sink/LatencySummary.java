package dev.nsdp.perf.sink;

import org.HdrHistogram.Histogram;

/** The figures a report gives of a latency histogram, in nanoseconds (zero when it is empty). */
public record LatencySummary(long count, long min, long p50, long p90, long p99, long p999, long p9999, long max, double mean) {
    public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0, 0, 0, 0, 0);

    public static LatencySummary of(final Histogram h) {
        if (h.getTotalCount() == 0) {
            return EMPTY;
        }
        return new LatencySummary(h.getTotalCount(), h.getMinValue(),
            h.getValueAtPercentile(50), h.getValueAtPercentile(90), h.getValueAtPercentile(99),
            h.getValueAtPercentile(99.9), h.getValueAtPercentile(99.99), h.getMaxValue(), h.getMean());
    }
}

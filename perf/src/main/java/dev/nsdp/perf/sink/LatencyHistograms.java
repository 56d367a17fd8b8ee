package dev.nsdp.perf.sink;

import org.HdrHistogram.Histogram;

/** The shape of every latency histogram in perf: nanoseconds, 3 significant digits, up to one hour. */
public final class LatencyHistograms {
    /** Values above this are recorded as this (and counted as clamped by the sink). */
    public static final long HIGHEST_NANOS = 3_600_000_000_000L;
    public static final int SIGNIFICANT_DIGITS = 3;

    private LatencyHistograms() {
    }

    public static Histogram create() {
        return new Histogram(1, HIGHEST_NANOS, SIGNIFICANT_DIGITS);
    }
}

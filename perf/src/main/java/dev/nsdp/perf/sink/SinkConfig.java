package dev.nsdp.perf.sink;

import dev.nsdp.perf.traffic.TestPayload;

/**
 * How a sink accounts: it expects stream ids {@code streamBase .. streamBase + streams - 1} (others
 * are counted as foreign and ignored), remembers {@code reorderWindowBits} sequence numbers per stream
 * for duplicate and reorder detection, verifies UDP checksums unless told not to, and cuts its
 * measurements into intervals of {@code intervalNanos} ({@code samples} of them may wait for the
 * collector; beyond that the current interval is extended rather than anything dropped).
 */
public record SinkConfig(int streams, int streamBase, int reorderWindowBits, boolean verifyChecksum, long intervalNanos, int samples) {
    public static final long DEFAULT_INTERVAL_NANOS = 1_000_000_000L;
    public static final int DEFAULT_SAMPLES = 8;

    public SinkConfig {
        if (streams < 1 || streamBase < 0 || streamBase + streams > TestPayload.MAX_STREAMS) {
            throw new IllegalArgumentException("stream ids " + streamBase + ".." + (streamBase + streams - 1)
                + " do not fit in 0.." + (TestPayload.MAX_STREAMS - 1));
        }
        if (intervalNanos < 1_000_000L) {
            throw new IllegalArgumentException("interval must be at least 1 ms");
        }
        if (samples < 2) {
            throw new IllegalArgumentException("samples must be >= 2");
        }
    }

    public static SinkConfig forStreams(final int streams) {
        return new SinkConfig(streams, 0, StreamTracker.DEFAULT_WINDOW_BITS, true, DEFAULT_INTERVAL_NANOS, DEFAULT_SAMPLES);
    }

    public SinkConfig withStreamBase(final int base) {
        return new SinkConfig(streams, base, reorderWindowBits, verifyChecksum, intervalNanos, samples);
    }

    public SinkConfig withInterval(final long nanos) {
        return new SinkConfig(streams, streamBase, reorderWindowBits, verifyChecksum, nanos, samples);
    }

    public SinkConfig withVerifyChecksum(final boolean verify) {
        return new SinkConfig(streams, streamBase, reorderWindowBits, verify, intervalNanos, samples);
    }

    public SinkConfig withReorderWindow(final int bits) {
        return new SinkConfig(streams, streamBase, bits, verifyChecksum, intervalNanos, samples);
    }

    public SinkConfig withSamples(final int n) {
        return new SinkConfig(streams, streamBase, reorderWindowBits, verifyChecksum, intervalNanos, n);
    }
}

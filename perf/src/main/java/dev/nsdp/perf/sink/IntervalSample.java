package dev.nsdp.perf.sink;

import org.HdrHistogram.Histogram;

/**
 * What the sink measured over one interval (normally one second of its clock): three latency
 * histograms and the counts. Samples are allocated once and recycled between the sink, which fills
 * one at a time, and whoever collects them (see {@link SinkCollector}).
 *
 * <ul>
 *   <li>{@link #corrected}: receive time minus intended send time: the latency a user of the
 *       schedule saw, including any time a frame waited because the system had stalled (corrected
 *       for coordinated omission).</li>
 *   <li>{@link #uncorrected}: receive time minus actual send time: what a tester that waits for
 *       the system would report; it hides stalls that held the generator back.</li>
 *   <li>{@link #sendLag}: actual minus intended send time: how far behind its schedule the
 *       generator was. If this is large the generator, not the DUT, may be the limit.</li>
 * </ul>
 */
public final class IntervalSample {
    /** Tags of the histograms in .hlog files: the corrected ones are untagged, the default a log processor reads. */
    public static final String UNCORRECTED_TAG = "uncorrected";
    public static final String SEND_LAG_TAG = "send-lag";

    public final Histogram corrected = LatencyHistograms.create();
    public final Histogram uncorrected = LatencyHistograms.create();
    public final Histogram sendLag = LatencyHistograms.create();
    public long startNanos;
    public long endNanos;
    /** Test frames received, duplicates included. */
    public long received;
    /** Bytes of those frames, each counted with its 4-byte FCS. */
    public long receivedBytes;
    public long unique;
    public long duplicates;
    public long reordered;
    public long tooOld;
    /** Growth of the frames known sent (sum of highest sequence + 1): the offered load as the sink sees it. */
    public long expected;
    /** Frames that were not valid test frames of this run (any reason). */
    public long invalid;

    public IntervalSample() {
        uncorrected.setTag(UNCORRECTED_TAG);
        sendLag.setTag(SEND_LAG_TAG);
    }

    void reset(final long start, final long end) {
        corrected.reset();
        uncorrected.reset();
        sendLag.reset();
        uncorrected.setTag(UNCORRECTED_TAG); // reset() clears the tag
        sendLag.setTag(SEND_LAG_TAG);
        startNanos = start;
        endNanos = end;
        received = 0;
        receivedBytes = 0;
        unique = 0;
        duplicates = 0;
        reordered = 0;
        tooOld = 0;
        expected = 0;
        invalid = 0;
    }

    /** Frames lost in the interval as the sink sees it (negative when late frames filled earlier gaps). */
    public long lost() {
        return expected - unique;
    }

    public double seconds() {
        return (endNanos - startNanos) / 1e9;
    }
}

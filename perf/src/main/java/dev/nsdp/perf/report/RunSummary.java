package dev.nsdp.perf.report;

import dev.nsdp.perf.gen.Generator;
import dev.nsdp.perf.sink.IntervalRow;
import dev.nsdp.perf.sink.LatencySummary;
import dev.nsdp.perf.sink.Sink;
import dev.nsdp.perf.sink.SinkCollector;
import dev.nsdp.perf.sink.StreamTracker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Everything a report says about one run (or one RFC 2544 trial), computed once after the run.
 *
 * <p>Rates are over {@code durationSeconds}: when the generator is known (loop, rfc2544), from its
 * t0 to its last send plus one frame interval, the span of the schedule it kept, so a generator that
 * kept up offers exactly its target rate and the received rate is directly comparable; for a sink
 * alone, from its first to its last receive. Loss is {@code sent - unique} when the generator is
 * known, else the gaps the sink saw (frames lost at the very end of a stream leave none). Bit rates
 * count frame sizes with the FCS (RFC 2544 sizes); {@link #lineBitsPerSecond} adds preamble and
 * inter-frame gap.
 */
public record RunSummary(
    String mode, String traffic, String frameSizes, int ipVersion, int flows,
    long targetRatePps, double durationSeconds,
    long framesSent, long bytesSent, long framesUnsent, long maxSendLagNanos, long portRefusals,
    long framesReceived, long bytesReceived, long unique, long lost, long duplicates, long reordered, long tooOld,
    Map<String, Long> invalid, LatencySummary corrected, LatencySummary uncorrected, LatencySummary sendLag,
    List<IntervalRow> intervals, List<StreamRow> streams,
    Histogram correctedHistogram, Histogram uncorrectedHistogram) {

    /** Per-stream accounts (reports list them when there are few streams). */
    public record StreamRow(int stream, long sent, long unique, long lost, long duplicates, long reordered) {
    }

    public static final int MAX_STREAM_ROWS = 256;

    /**
     * @param generator the run's generator, or null when only the sink is known
     * @param collector the sink's collector, already {@link SinkCollector#finish() finished}
     */
    public static RunSummary of(final String mode, final Generator generator, final Sink sink, final SinkCollector collector) {
        final Map<String, Long> invalid = new LinkedHashMap<>();
        invalid.put("notUdp", sink.counters().get(Sink.NOT_UDP));
        invalid.put("notTestFrame", sink.counters().get(Sink.NOT_TEST_FRAME));
        invalid.put("badChecksum", sink.counters().get(Sink.BAD_CHECKSUM));
        invalid.put("foreignStream", sink.counters().get(Sink.FOREIGN_STREAM));
        invalid.put("negativeLatency", sink.counters().get(Sink.NEGATIVE_LATENCY));
        final StreamTracker tracker = sink.tracker();
        final long unique = tracker.uniqueTotal();
        final List<StreamRow> streams = new ArrayList<>();
        final long sent;
        final long lost;
        final double duration;
        String traffic = "";
        String sizes = "";
        int ipVersion = 0;
        long target = 0;
        if (generator != null) {
            sent = generator.counters().get(Generator.FRAMES_SENT);
            lost = sent - unique;
            final long rate = generator.config().ratePps();
            final long span = sent == 0 ? 0 : generator.lastSendNanos() - generator.startNanos();
            duration = sent == 0 ? 0 : (span + 1e9 / rate) / 1e9;
            traffic = generator.config().profile().describe();
            sizes = generator.config().profile().sizes().name();
            ipVersion = generator.config().profile().ipVersion();
            target = rate;
        } else {
            sent = -1;
            lost = tracker.lostTotal();
            duration = Math.max(0, sink.lastReceiveNanos() - sink.firstReceiveNanos()) / 1e9;
        }
        for (int s = 0; s < Math.min(tracker.streams(), MAX_STREAM_ROWS); s++) {
            final long streamSent = generator != null ? generator.sentOfFlow(s) : tracker.highest(s) + 1;
            streams.add(new StreamRow(sink.config().streamBase() + s, streamSent, tracker.unique(s),
                streamSent - tracker.unique(s), tracker.duplicates(s), tracker.reordered(s)));
        }
        return new RunSummary(mode, traffic, sizes, ipVersion, tracker.streams(), target, duration,
            sent, generator != null ? generator.counters().get(Generator.BYTES_SENT) : -1,
            generator != null ? generator.counters().get(Generator.FRAMES_UNSENT) : 0,
            generator != null ? generator.counters().get(Generator.MAX_SEND_LAG) : 0,
            generator != null ? generator.counters().get(Generator.PORT_REFUSALS) : 0,
            sink.counters().get(Sink.FRAMES_RECEIVED), sink.counters().get(Sink.BYTES_RECEIVED), unique, lost,
            tracker.duplicateTotal(), tracker.reorderedTotal(), tracker.tooOldTotal(), invalid,
            LatencySummary.of(collector.corrected()), LatencySummary.of(collector.uncorrected()),
            LatencySummary.of(collector.sendLag()), collector.rows(), streams,
            collector.corrected().copy(), collector.uncorrected().copy());
    }

    /** Frames known offered: those sent, or for a sink alone the highest sequences seen. */
    public long framesOffered() {
        return framesSent >= 0 ? framesSent : unique + lost;
    }

    public double offeredPps() {
        return durationSeconds > 0 ? framesOffered() / durationSeconds : 0;
    }

    public double offeredBitsPerSecond() {
        return durationSeconds > 0 && bytesSent >= 0 ? bytesSent * 8.0 / durationSeconds : offeredPps() * averageFrameBits();
    }

    public double receivedPps() {
        return durationSeconds > 0 ? framesReceived / durationSeconds : 0;
    }

    public double receivedBitsPerSecond() {
        return durationSeconds > 0 ? bytesReceived * 8.0 / durationSeconds : 0;
    }

    /** Bit rate on the wire with 20 bytes of preamble, start delimiter and inter-frame gap per frame. */
    public double lineBitsPerSecond(final double pps, final double bitsPerSecond) {
        return bitsPerSecond + pps * 20 * 8;
    }

    private double averageFrameBits() {
        return framesReceived > 0 ? bytesReceived * 8.0 / framesReceived : 0;
    }

    public double lossRatio() {
        final long offered = framesOffered();
        return offered > 0 ? (double) lost / offered : 0;
    }

    public long invalidTotal() {
        return invalid.values().stream().mapToLong(Long::longValue).sum();
    }
}

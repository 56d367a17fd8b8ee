package dev.nsdp.perf.report;

import dev.nsdp.perf.sink.IntervalRow;
import dev.nsdp.perf.sink.LatencySummary;
import java.util.Map;

/** The JSON form of a run; every key is documented in the README ("perf: JSON keys"). */
public final class JsonReport {
    public static final int FORMAT_VERSION = 1;

    private JsonReport() {
    }

    public static String run(final RunSummary s) {
        return run(s, w -> { });
    }

    /** A run, with {@code extra} adding fields at the end (the loop command adds the DUT's counters). */
    public static String run(final RunSummary s, final java.util.function.Consumer<JsonWriter> extra) {
        final JsonWriter w = new JsonWriter().beginObject();
        w.field("tool", "nsdp-perf").field("formatVersion", FORMAT_VERSION);
        runFields(w, s);
        extra.accept(w);
        return w.endObject().toString();
    }

    /** The fields of a run, inside an object the caller opened. */
    public static void runFields(final JsonWriter w, final RunSummary s) {
        w.field("mode", s.mode());
        w.name("traffic").beginObject()
            .field("description", s.traffic()).field("ipVersion", s.ipVersion()).field("streams", s.flows())
            .field("frameSizes", s.frameSizes()).endObject();
        w.field("targetRatePps", s.targetRatePps()).field("durationSeconds", s.durationSeconds());
        w.name("offered").beginObject()
            .field("frames", s.framesOffered()).field("bytes", s.bytesSent()).field("pps", s.offeredPps())
            .field("bitsPerSecond", s.offeredBitsPerSecond())
            .field("lineBitsPerSecond", s.lineBitsPerSecond(s.offeredPps(), s.offeredBitsPerSecond()))
            .field("fromGenerator", s.framesSent() >= 0).field("unsent", s.framesUnsent())
            .field("portRefusals", s.portRefusals()).field("maxSendLagNanos", s.maxSendLagNanos()).endObject();
        w.name("received").beginObject()
            .field("frames", s.framesReceived()).field("unique", s.unique()).field("bytes", s.bytesReceived())
            .field("pps", s.receivedPps()).field("bitsPerSecond", s.receivedBitsPerSecond())
            .field("lineBitsPerSecond", s.lineBitsPerSecond(s.receivedPps(), s.receivedBitsPerSecond())).endObject();
        w.name("loss").beginObject()
            .field("frames", s.lost()).field("ratio", s.lossRatio()).field("duplicates", s.duplicates())
            .field("reordered", s.reordered()).field("tooOld", s.tooOld()).endObject();
        w.name("invalid").beginObject();
        for (final Map.Entry<String, Long> e : s.invalid().entrySet()) {
            w.field(e.getKey(), e.getValue());
        }
        w.endObject();
        w.name("latencyNanos").beginObject();
        latency(w.name("corrected"), s.corrected());
        latency(w.name("uncorrected"), s.uncorrected());
        latency(w.name("sendLag"), s.sendLag());
        w.endObject();
        w.name("streams").beginArray();
        for (final RunSummary.StreamRow r : s.streams()) {
            w.beginObject().field("stream", r.stream()).field("sent", r.sent()).field("unique", r.unique())
                .field("lost", r.lost()).field("duplicates", r.duplicates()).field("reordered", r.reordered()).endObject();
        }
        w.endArray();
        w.name("intervals").beginArray();
        for (final IntervalRow r : s.intervals()) {
            w.beginObject().field("startSeconds", r.startSeconds()).field("endSeconds", r.endSeconds())
                .field("offeredFrames", r.expected()).field("receivedFrames", r.received()).field("receivedBytes", r.receivedBytes())
                .field("lost", r.lost()).field("duplicates", r.duplicates()).field("reordered", r.reordered())
                .field("invalid", r.invalid());
            latency(w.name("latencyNanos"), r.corrected());
            w.endObject();
        }
        w.endArray();
    }

    public static void latency(final JsonWriter w, final LatencySummary l) {
        w.beginObject().field("count", l.count()).field("min", l.min()).field("p50", l.p50()).field("p90", l.p90())
            .field("p99", l.p99()).field("p99_9", l.p999()).field("p99_99", l.p9999()).field("max", l.max())
            .field("mean", l.mean()).endObject();
    }
}

package dev.nsdp.perf.report;

import dev.nsdp.perf.sink.IntervalRow;
import dev.nsdp.perf.sink.LatencySummary;
import java.util.Locale;
import java.util.Map;

/** The text a person reads on the terminal: one line per interval and a final summary table. */
public final class ConsoleReport {
    private ConsoleReport() {
    }

    /** One line per interval: rates, loss and latency of that interval alone. */
    public static String intervalLine(final IntervalRow r) {
        final LatencySummary l = r.corrected();
        return String.format(Locale.ROOT,
            "%6.1fs  offered %-13s received %-13s %-14s lost %-8s dup %-5s reord %-5s  latency p50 %-9s p99 %-9s p99.9 %-9s max %s",
            r.endSeconds(), Units.pps(r.offeredPps()), Units.pps(r.receivedPps()), Units.bits(r.receivedBitsPerSecond()),
            r.lost(), r.duplicates(), r.reordered(),
            Units.nanos(l.p50()), Units.nanos(l.p99()), Units.nanos(l.p999()), Units.nanos(l.max()));
    }

    /**
     * A warning when the generator did not keep its schedule (send lag above 1 ms at p99, or frames
     * unsent): the target rate was then not offered as planned, and the corrected latency includes the
     * time frames waited in the generator. Null when it kept up.
     */
    public static String behindSchedule(final RunSummary s) {
        if (s.sendLag().p99() <= 1_000_000 && s.framesUnsent() == 0) {
            return null;
        }
        return "WARNING: the generator fell behind its schedule (send lag p99 " + Units.nanos(s.sendLag().p99()) + ", max "
            + Units.nanos(s.sendLag().max()) + (s.portRefusals() > 0 ? "; the port refused frames: the DUT did not take them" : "")
            + "): the target rate was not offered as planned";
    }

    public static String summary(final RunSummary s) {
        final StringBuilder b = new StringBuilder();
        b.append('\n');
        if (!s.traffic().isEmpty()) {
            b.append("traffic   ").append(s.traffic()).append('\n');
        }
        b.append(String.format(Locale.ROOT, "duration  %.3f s%s%n", s.durationSeconds(),
            s.targetRatePps() > 0 ? ", target rate " + Units.pps(s.targetRatePps()) : ""));
        b.append('\n');
        b.append(String.format(Locale.ROOT, "%-10s %15s %15s %16s %18s%n", "", "frames", "rate", "bit/s", "line bit/s (+20 B)"));
        b.append(String.format(Locale.ROOT, "%-10s %15s %15s %16s %18s%n", s.framesSent() >= 0 ? "offered" : "offered*",
            Units.count(s.framesOffered()), Units.pps(s.offeredPps()), Units.bits(s.offeredBitsPerSecond()),
            Units.bits(s.lineBitsPerSecond(s.offeredPps(), s.offeredBitsPerSecond()))));
        b.append(String.format(Locale.ROOT, "%-10s %15s %15s %16s %18s%n", "received", Units.count(s.framesReceived()),
            Units.pps(s.receivedPps()), Units.bits(s.receivedBitsPerSecond()),
            Units.bits(s.lineBitsPerSecond(s.receivedPps(), s.receivedBitsPerSecond()))));
        b.append(String.format(Locale.ROOT, "%-10s %15s   ratio %s   duplicates %s   reordered %s%s%n", "lost",
            Units.count(s.lost()), Units.percent(s.lossRatio()), Units.count(s.duplicates()), Units.count(s.reordered()),
            s.tooOld() > 0 ? "   too old to classify " + Units.count(s.tooOld()) : ""));
        if (s.framesSent() < 0) {
            b.append("           * offered as the sink sees it: highest sequence numbers (frames lost at the end of a stream are not seen)\n");
        }
        if (s.framesUnsent() > 0 || s.portRefusals() > 0) {
            b.append(String.format(Locale.ROOT, "generator  %s frames not sent by the stop deadline, port refused frames in %s rounds%n",
                Units.count(s.framesUnsent()), Units.count(s.portRefusals())));
        }
        if (s.invalidTotal() > 0) {
            b.append("invalid   ");
            for (final Map.Entry<String, Long> e : s.invalid().entrySet()) {
                if (e.getValue() > 0) {
                    b.append(' ').append(e.getKey()).append(' ').append(Units.count(e.getValue()));
                }
            }
            b.append('\n');
        }
        b.append('\n');
        b.append(String.format(Locale.ROOT, "%-34s %10s %10s %10s %10s %10s %10s%n",
            "latency", "p50", "p90", "p99", "p99.9", "p99.99", "max"));
        latencyRow(b, "corrected (from intended send)", s.corrected());
        latencyRow(b, "uncorrected (from actual send)", s.uncorrected());
        latencyRow(b, "generator send lag", s.sendLag());
        final String behind = behindSchedule(s);
        if (behind != null) {
            b.append(behind).append(";\n  the corrected latency counts the time frames waited in the generator (the system under test\n"
                + "  could not take the rate: lower --rate, or see the DUT's busy time)\n");
        }
        return b.toString();
    }

    private static void latencyRow(final StringBuilder b, final String name, final LatencySummary l) {
        b.append(String.format(Locale.ROOT, "%-34s %10s %10s %10s %10s %10s %10s%n", name,
            Units.nanos(l.p50()), Units.nanos(l.p90()), Units.nanos(l.p99()), Units.nanos(l.p999()),
            Units.nanos(l.p9999()), Units.nanos(l.max())));
    }
}

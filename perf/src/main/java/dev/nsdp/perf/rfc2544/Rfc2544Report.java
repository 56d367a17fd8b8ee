package dev.nsdp.perf.rfc2544;

import dev.nsdp.perf.report.JsonReport;
import dev.nsdp.perf.report.JsonWriter;
import dev.nsdp.perf.report.Plots;
import dev.nsdp.perf.report.RunSummary;
import dev.nsdp.perf.report.SvgChart;
import dev.nsdp.perf.report.Units;
import dev.nsdp.perf.sink.LatencySummary;
import dev.nsdp.perf.traffic.FrameSizes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Console table, JSON and SVG of an RFC 2544 throughput run over one or more frame sizes. */
public final class Rfc2544Report {
    /** One frame size's search and, if a rate passed, the latency trial at that rate (or null). */
    public record SizeOutcome(ThroughputSearch.Result search, RunSummary latency) {
        public double averageFrameBytes() {
            return search.sizes().average();
        }
    }

    private Rfc2544Report() {
    }

    public static String trialLine(final FrameSizes sizes, final Trial t) {
        return String.format(Locale.ROOT, "  size %-6s trial %2d  rate %-13s sent %-12s received %-12s loss %-12s %s",
            sizes.name(), t.number(), Units.pps(t.ratePps()), Units.count(t.sent()), Units.count(t.received()),
            Units.percent(t.lossRatio()), t.passed() ? "PASS" : "fail (" + t.verdict() + ")");
    }

    public static String table(final List<SizeOutcome> outcomes) {
        final StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%n%-8s %14s %14s %16s %7s  %-8s %10s %10s %10s %10s%n", "size", "throughput", "bit/s",
            "line bit/s", "trials", "limit", "lat p50", "lat p99", "lat p99.9", "lat max"));
        for (final SizeOutcome o : outcomes) {
            final long pps = o.search().throughputPps();
            final double bits = pps * o.averageFrameBytes() * 8;
            final LatencySummary l = o.latency() == null ? LatencySummary.EMPTY : o.latency().corrected();
            b.append(String.format(Locale.ROOT, "%-8s %14s %14s %16s %7d  %-8s %10s %10s %10s %10s%n", o.search().sizes().name(),
                Units.pps(pps), Units.bits(bits), Units.bits(bits + pps * FrameSizes.L1_OVERHEAD * 8.0), o.search().trials().size(),
                o.search().testerLimited() ? "tester" : pps == 0 ? "-" : "DUT", o.latency() == null ? "-" : Units.nanos(l.p50()),
                o.latency() == null ? "-" : Units.nanos(l.p99()), o.latency() == null ? "-" : Units.nanos(l.p999()),
                o.latency() == null ? "-" : Units.nanos(l.max())));
        }
        b.append("limit: DUT = the DUT lost frames above this rate; tester = the generator could not offer more\n");
        b.append("latency: corrected for coordinated omission, measured in a separate trial at the throughput rate\n");
        return b.toString();
    }

    public static String json(final ThroughputSearch.Settings settings, final double trialSeconds, final double latencySeconds,
        final String traffic, final List<SizeOutcome> outcomes) {
        final JsonWriter w = new JsonWriter().beginObject();
        w.field("tool", "nsdp-perf").field("formatVersion", JsonReport.FORMAT_VERSION).field("mode", "rfc2544");
        w.field("traffic", traffic);
        w.name("settings").beginObject().field("minRatePps", settings.minRatePps()).field("maxRatePps", settings.maxRatePps())
            .field("acceptableLossRatio", settings.acceptableLossRatio()).field("resolution", settings.resolution())
            .field("maxTrials", settings.maxTrials()).field("trialSeconds", trialSeconds)
            .field("latencyTrialSeconds", latencySeconds).endObject();
        w.name("results").beginArray();
        for (final SizeOutcome o : outcomes) {
            final long pps = o.search().throughputPps();
            final double bits = pps * o.averageFrameBytes() * 8;
            w.beginObject().field("frameSizes", o.search().sizes().name()).field("averageFrameBytes", o.averageFrameBytes())
                .field("throughputPps", pps).field("throughputBitsPerSecond", bits)
                .field("throughputLineBitsPerSecond", bits + pps * FrameSizes.L1_OVERHEAD * 8.0)
                .field("testerLimited", o.search().testerLimited());
            w.name("trials").beginArray();
            for (final Trial t : o.search().trials()) {
                w.beginObject().field("number", t.number()).field("ratePps", t.ratePps()).field("sent", t.sent())
                    .field("received", t.received()).field("unsent", t.unsent()).field("offeredPps", t.offeredPps())
                    .field("lossRatio", t.lossRatio()).field("passed", t.passed()).field("verdict", t.verdict()).endObject();
            }
            w.endArray();
            if (o.latency() == null) {
                w.name("latency").value((String) null);
            } else {
                w.name("latency").beginObject();
                JsonReport.runFields(w, o.latency());
                w.endObject();
            }
            w.endObject();
        }
        w.endArray();
        return w.endObject().toString();
    }

    public static String svg(final String traffic, final double trialSeconds, final double acceptableLoss,
        final List<SizeOutcome> outcomes) {
        final List<Plots.Curve> curves = new ArrayList<>();
        double top = 1;
        for (int i = 0; i < outcomes.size(); i++) {
            final SizeOutcome o = outcomes.get(i);
            final String color = Plots.PALETTE[i % Plots.PALETTE.length];
            if (o.latency() != null) {
                curves.add(new Plots.Curve(o.search().sizes().name() + " B at " + Units.pps(o.search().throughputPps()), color,
                    o.latency().correctedHistogram(), false));
            }
            for (final Trial t : o.search().trials()) {
                top = Math.max(top, Math.max(t.offeredPps(), t.summary() != null ? t.summary().receivedPps() : 0));
            }
        }
        final double unit = top >= 1e6 ? 1e6 : top >= 1e3 ? 1e3 : 1;
        final String unitName = unit == 1e6 ? "Mpps" : unit == 1e3 ? "kpps" : "pps";
        final SvgChart.Axis x = SvgChart.Axis.linear("offered rate the generator achieved in the trial (" + unitName + ")", 0, top / unit * 1.05,
            v -> trim(v));
        final SvgChart.Axis y = SvgChart.Axis.linear("received rate (" + unitName + ")", 0, top / unit * 1.05, v -> trim(v));
        final SvgChart rates = new SvgChart("Received against offered rate, one point per trial", x, y);
        rates.note("filled: trial passed; open: trial failed (below the diagonal: frames lost; on it: the generator "
            + "could not offer the trial's target rate)");
        rates.line("received = offered", "#999999", new double[] {0, top / unit * 1.05}, new double[] {0, top / unit * 1.05}, true);
        for (int i = 0; i < outcomes.size(); i++) {
            final SizeOutcome o = outcomes.get(i);
            final List<Trial> trials = o.search().trials();
            final double[] xs = new double[trials.size()];
            final double[] ys = new double[trials.size()];
            final boolean[] filled = new boolean[trials.size()];
            for (int k = 0; k < trials.size(); k++) {
                final Trial t = trials.get(k);
                xs[k] = t.offeredPps() / unit;
                ys[k] = (t.summary() != null ? t.summary().receivedPps() : t.received() / trialSeconds) / unit;
                filled[k] = t.passed();
            }
            rates.points(o.search().sizes().name() + " B: throughput " + Units.pps(o.search().throughputPps())
                + (o.search().testerLimited() ? " (tester-limited)" : ""), Plots.PALETTE[i % Plots.PALETTE.length], xs, ys, filled);
        }
        final List<SvgChart> panels = new ArrayList<>();
        if (!curves.isEmpty()) {
            panels.add(Plots.latency("Latency at the throughput rate (corrected), percentile distribution", curves));
        }
        panels.add(rates);
        return SvgChart.document("nsdp perf: RFC 2544 throughput", List.of(traffic,
            String.format(Locale.ROOT, "trials of %.1f s; throughput = highest rate with %s", trialSeconds,
                acceptableLoss == 0 ? "no loss" : "loss at most " + Units.percent(acceptableLoss))), 1000, 460, panels);
    }

    private static String trim(final double v) {
        return Math.abs(v - Math.rint(v)) < 1e-9 ? Long.toString(Math.round(v))
            : String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}

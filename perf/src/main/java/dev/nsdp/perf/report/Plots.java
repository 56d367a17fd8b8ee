package dev.nsdp.perf.report;

import dev.nsdp.perf.sink.IntervalRow;
import dev.nsdp.perf.sink.LatencySummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The plots people read: the latency percentile distribution (HdrHistogram's classic view: the x
 * axis stretches the tail, each step one more nine) and received against offered rate.
 */
public final class Plots {
    public static final String CORRECTED = "#d62728";
    public static final String UNCORRECTED = "#1f77b4";
    public static final String OFFERED = "#555555";
    public static final String RECEIVED = "#2ca02c";
    public static final String TARGET = "#ff7f0e";
    public static final String[] PALETTE = {"#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
        "#17becf", "#bcbd22", "#7f7f7f"};
    private static final String[] NINES = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%", "99.9999%", "99.99999%"};

    private Plots() {
    }

    /** A latency distribution line: its label, colour and histogram (nanoseconds). */
    public record Curve(String label, String color, Histogram histogram, boolean dashed) {
    }

    /** Percentile distribution of one or more histograms, with a note of the key figures of each. */
    public static SvgChart latency(final String title, final List<Curve> curves) {
        long count = 1;
        double max = 1;
        double minPositive = Double.MAX_VALUE;
        for (final Curve c : curves) {
            final Histogram h = c.histogram();
            if (h.getTotalCount() == 0) {
                continue;
            }
            count = Math.max(count, h.getTotalCount());
            max = Math.max(max, h.getMaxValue());
            minPositive = Math.min(minPositive, Math.max(1, h.getValueAtPercentile(50)));
        }
        // The tail can be resolved to about one frame in `count`: no point plotting nines beyond it.
        final int nines = (int) Math.max(2, Math.min(6, Math.floor(Math.log10(count))));
        final SvgChart.Axis x = SvgChart.Axis.custom("percentile (each step one more nine: the tail is stretched)", 0, nines);
        for (int i = 0; i <= nines; i++) {
            x.tick(i, NINES[i]);
        }
        final boolean log = minPositive != Double.MAX_VALUE && max / minPositive > 50;
        final SvgChart.Axis y = log
            ? SvgChart.Axis.log("latency (log scale)", Math.max(1, minPositive / 2), max * 1.2, Units::tickNanos)
            : SvgChart.Axis.linear("latency", 0, max * 1.1, Units::tickNanos);
        final SvgChart chart = new SvgChart(title, x, y);
        for (final Curve c : curves) {
            final Histogram h = c.histogram();
            final LatencySummary s = LatencySummary.of(h);
            chart.note(String.format(Locale.ROOT, "%s: %d frames, p50 %s, p90 %s, p99 %s, p99.9 %s, p99.99 %s, max %s",
                c.label(), s.count(), Units.nanos(s.p50()), Units.nanos(s.p90()), Units.nanos(s.p99()), Units.nanos(s.p999()),
                Units.nanos(s.p9999()), Units.nanos(s.max())));
            if (h.getTotalCount() == 0) {
                continue;
            }
            final List<double[]> points = new ArrayList<>();
            for (final HistogramIterationValue v : h.percentiles(5)) {
                final double p = v.getPercentileLevelIteratedTo() / 100.0;
                final double n = p >= 1 ? nines : Math.min(nines, -Math.log10(1 - p));
                points.add(new double[] {n, h.highestEquivalentValue(v.getValueIteratedTo())});
                if (p >= 1) {
                    break;
                }
            }
            points.add(new double[] {nines, h.getMaxValue()});
            chart.line(c.label(), c.color(), column(points, 0), column(points, 1), c.dashed());
        }
        return chart;
    }

    /** Received and offered rate per interval, as steps over the run's time. */
    public static SvgChart rates(final String title, final List<IntervalRow> allRows, final long targetPps, final List<String> notes) {
        // Intervals before the first and after the last frame (the sink waiting for the run to start,
        // the drain after it) would draw a drop to zero that never happened: leave them out.
        int first = 0;
        int last = allRows.size() - 1;
        while (first <= last && allRows.get(first).received() == 0 && allRows.get(first).expected() == 0) {
            first++;
        }
        while (last >= first && allRows.get(last).received() == 0 && allRows.get(last).expected() == 0) {
            last--;
        }
        final List<IntervalRow> rows = allRows.subList(first, last + 1);
        double top = Math.max(1, targetPps);
        double end = 1;
        for (final IntervalRow r : rows) {
            top = Math.max(top, Math.max(r.offeredPps(), r.receivedPps()));
            end = Math.max(end, r.endSeconds());
        }
        final double unit = top >= 1e6 ? 1e6 : top >= 1e3 ? 1e3 : 1;
        final String unitName = unit == 1e6 ? "Mpps" : unit == 1e3 ? "kpps" : "pps";
        final SvgChart.Axis x = SvgChart.Axis.linear("time since start (s)", 0, end, v -> trim(v) + " s");
        final SvgChart.Axis y = SvgChart.Axis.linear("frames per second (" + unitName + ")", 0, top / unit * 1.15, Plots::trim);
        final SvgChart chart = new SvgChart(title, x, y);
        notes.forEach(chart::note);
        final List<double[]> offered = new ArrayList<>();
        final List<double[]> received = new ArrayList<>();
        for (final IntervalRow r : rows) {
            offered.add(new double[] {r.startSeconds(), r.offeredPps() / unit});
            offered.add(new double[] {r.endSeconds(), r.offeredPps() / unit});
            received.add(new double[] {r.startSeconds(), r.receivedPps() / unit});
            received.add(new double[] {r.endSeconds(), r.receivedPps() / unit});
        }
        if (targetPps > 0) {
            chart.line("target rate " + Units.pps(targetPps), TARGET, new double[] {0, end}, new double[] {targetPps / unit, targetPps / unit},
                true);
        }
        chart.line("received", RECEIVED, column(received, 0), column(received, 1), false);
        chart.line("offered (as the sink's sequence numbers show it)", OFFERED, column(offered, 0), column(offered, 1), true);
        return chart;
    }

    /** The two standard panels of a run. */
    public static String runDocument(final RunSummary run) {
        final List<Curve> curves = List.of(
            new Curve("corrected (from intended send time)", CORRECTED, run.correctedHistogram(), false),
            new Curve("uncorrected (from actual send time)", UNCORRECTED, run.uncorrectedHistogram(), true));
        final List<String> rateNotes = new ArrayList<>();
        rateNotes.add(String.format(Locale.ROOT, "whole run: offered %s, received %s, lost %s (%s), duplicates %s, reordered %s",
            Units.pps(run.offeredPps()), Units.pps(run.receivedPps()), Units.count(run.lost()), Units.percent(run.lossRatio()),
            Units.count(run.duplicates()), Units.count(run.reordered())));
        final String behind = ConsoleReport.behindSchedule(run);
        if (behind != null) {
            rateNotes.add(behind);
        }
        final List<String> sub = new ArrayList<>();
        if (!run.traffic().isEmpty()) {
            sub.add(run.traffic());
        }
        sub.add(String.format(Locale.ROOT, "%s run, %.2f s%s", run.mode(), run.durationSeconds(),
            run.targetRatePps() > 0 ? ", target " + Units.pps(run.targetRatePps()) : ""));
        return SvgChart.document("nsdp perf: latency and rate", sub, 1000, 460,
            List.of(latency("One-way latency, percentile distribution", curves), rates("Rate per interval", run.intervals(), run.targetRatePps(), rateNotes)));
    }

    static double[] column(final List<double[]> points, final int i) {
        final double[] out = new double[points.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = points.get(k)[i];
        }
        return out;
    }

    static String trim(final double v) {
        return Units.trim(v);
    }
}

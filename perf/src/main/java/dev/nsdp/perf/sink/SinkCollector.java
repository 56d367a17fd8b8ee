package dev.nsdp.perf.sink;

import dev.nsdp.perf.report.HlogFile;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * The other side of a {@link Sink}'s interval queue, on a reporting thread (or the test's): takes
 * finished intervals, adds their histograms to the run's totals, keeps one {@link IntervalRow} per
 * interval (filling intervals in which nothing arrived with empty rows), writes them to an .hlog file
 * if given one, tells a listener (the per-second line), and recycles the samples.
 */
public final class SinkCollector {
    private final Sink sink;
    private final long baseNanos;
    private final HlogFile hlog;
    private final Consumer<IntervalRow> listener;
    private final Histogram corrected = LatencyHistograms.create();
    private final Histogram uncorrected = LatencyHistograms.create();
    private final Histogram sendLag = LatencyHistograms.create();
    private final List<IntervalRow> rows = new ArrayList<>();
    private double lastEnd = Double.NaN;
    private boolean finished;

    /**
     * @param baseNanos the run's start on the sink's clock: interval times are reported from it
     * @param hlog      where to log intervals, or null
     * @param listener  told of each interval as it is collected, or null
     */
    public SinkCollector(final Sink sink, final long baseNanos, final HlogFile hlog, final Consumer<IntervalRow> listener) {
        this.sink = sink;
        this.baseNanos = baseNanos;
        this.hlog = hlog;
        this.listener = listener;
    }

    /** Collects every finished interval; returns how many. */
    public int poll() {
        int n = 0;
        IntervalSample s;
        while ((s = sink.pollInterval()) != null) {
            absorb(s);
            sink.recycle(s);
            n++;
        }
        return n;
    }

    /** Collects the rest, the last partial interval included: only after the sink's thread has stopped. */
    public void finish() {
        if (finished) {
            return;
        }
        poll();
        final IntervalSample last = sink.takeLastInterval();
        if (last.endNanos > last.startNanos || last.received > 0) {
            absorb(last);
        }
        finished = true;
    }

    private void absorb(final IntervalSample s) {
        corrected.add(s.corrected);
        uncorrected.add(s.uncorrected);
        sendLag.add(s.sendLag);
        final IntervalRow row = IntervalRow.of(s, baseNanos);
        final double step = sink.config().intervalNanos() / 1e9;
        while (!Double.isNaN(lastEnd) && row.startSeconds() > lastEnd + 1e-9) {
            emit(IntervalRow.empty(lastEnd, Math.min(lastEnd + step, row.startSeconds())));
        }
        if (hlog != null) {
            hlog.write(s, baseNanos);
        }
        emit(row);
    }

    private void emit(final IntervalRow row) {
        rows.add(row);
        lastEnd = row.endSeconds();
        if (listener != null) {
            listener.accept(row);
        }
    }

    /** Total corrected latency over the collected intervals. */
    public Histogram corrected() {
        return corrected;
    }

    public Histogram uncorrected() {
        return uncorrected;
    }

    public Histogram sendLag() {
        return sendLag;
    }

    public List<IntervalRow> rows() {
        return Collections.unmodifiableList(rows);
    }

    public long baseNanos() {
        return baseNanos;
    }
}

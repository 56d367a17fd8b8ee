package dev.nsdp.perf.report;

import dev.nsdp.perf.sink.IntervalSample;
import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.HdrHistogram.HistogramLogWriter;

/**
 * An HdrHistogram interval log (.hlog): one line per interval and histogram, in HdrHistogram's own
 * format (HistogramLogWriter), so its HistogramLogReader, HistogramLogProcessor and the usual
 * plotting tools read it. Values are nanoseconds; the Interval_Max column is in milliseconds (value
 * unit ratio 1e6, HdrHistogram's convention for nanosecond logs). Per interval it writes the corrected
 * latency untagged (what a log processor reads by default), then the uncorrected latency tagged
 * {@value IntervalSample#UNCORRECTED_TAG} and the generator's send lag tagged
 * {@value IntervalSample#SEND_LAG_TAG} ({@code -tag NAME} selects them). Interval times are seconds
 * from the run's start, which the header gives as wall-clock time.
 */
public final class HlogFile implements AutoCloseable {
    public static final double NANOS_TO_MILLIS = 1e6;

    private final HistogramLogWriter writer;

    public HlogFile(final Path path, final String comment, final long startEpochMillis) {
        try {
            this.writer = new HistogramLogWriter(path.toFile());
        } catch (final FileNotFoundException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
        writer.outputComment(comment);
        writer.outputLogFormatVersion();
        writer.outputStartTime(startEpochMillis);
        writer.setBaseTime(startEpochMillis);
        writer.outputComment("values in nanoseconds; untagged = latency from intended send time (corrected for "
            + "coordinated omission), Tag=" + IntervalSample.UNCORRECTED_TAG + " = from actual send time, Tag="
            + IntervalSample.SEND_LAG_TAG + " = actual minus intended send time");
        writer.outputLegend();
    }

    /** Writes the sample's three histograms; {@code baseNanos} is the run's start on the sink's clock. */
    public void write(final IntervalSample sample, final long baseNanos) {
        final double start = (sample.startNanos - baseNanos) / 1e9;
        final double end = (sample.endNanos - baseNanos) / 1e9;
        writer.outputIntervalHistogram(start, end, sample.corrected, NANOS_TO_MILLIS);
        writer.outputIntervalHistogram(start, end, sample.uncorrected, NANOS_TO_MILLIS);
        writer.outputIntervalHistogram(start, end, sample.sendLag, NANOS_TO_MILLIS);
    }

    @Override
    public void close() {
        writer.close();
    }
}

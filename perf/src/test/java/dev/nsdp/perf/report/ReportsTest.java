package dev.nsdp.perf.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.port.MemoryLink;
import dev.nsdp.perf.gen.Generator;
import dev.nsdp.perf.gen.GeneratorConfig;
import dev.nsdp.perf.loop.StallingPort;
import dev.nsdp.perf.sink.IntervalSample;
import dev.nsdp.perf.sink.Sink;
import dev.nsdp.perf.sink.SinkCollector;
import dev.nsdp.perf.sink.SinkConfig;
import dev.nsdp.perf.testing.JsonSyntax;
import dev.nsdp.perf.testing.Stepper;
import dev.nsdp.perf.traffic.FrameSizes;
import dev.nsdp.perf.traffic.TrafficProfile;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogProcessor;
import org.HdrHistogram.HistogramLogReader;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The reports of a stepped run with a 50 ms stall: the .hlog is read back by HdrHistogram's own
 * HistogramLogReader and HistogramLogProcessor, the JSON is valid and says what the run did, the
 * SVG is well-formed XML with the curves in it.
 */
class ReportsTest {
    @TempDir
    Path dir;

    private RunSummary run(final Path hlogPath) {
        final CachedNanoClock clock = new CachedNanoClock();
        clock.update(2_000_000_000L);
        try (PacketPool pool = new PacketPool(16_384)) {
            final MemoryLink link = new MemoryLink("gen", "sink", 512);
            final StallingPort stalled = new StallingPort(link.b(), clock, clock.nanoTime() + 1_200_000_000L, 50_000_000L);
            final GeneratorConfig config = GeneratorConfig.ofDuration(TrafficProfile.defaults().withSizes(FrameSizes.imix()), 50_000,
                3_000_000_000L);
            final Generator generator = new Generator(config, link.a(), pool, clock);
            final Sink sink = new Sink(SinkConfig.forStreams(1).withSamples(4), stalled, pool, clock);
            final long t0 = clock.nanoTime();
            sink.start(t0);
            try (HlogFile hlog = new HlogFile(hlogPath, "reports test", 1_700_000_000_000L)) {
                final SinkCollector collector = new SinkCollector(sink, t0, hlog, null);
                final Stepper stepper = new Stepper(clock, 2_000);
                while (!generator.isDone()) {
                    stepper.steps(10_000, generator, sink);
                    collector.poll(); // as the reporting thread does, between steps
                }
                stepper.steps(1_000, sink);
                collector.finish();
                return RunSummary.of("loop", generator, sink, collector);
            }
        }
    }

    @Test
    void hlogIsReadByHdrHistogramsReaderAndLogProcessor() throws Exception {
        final Path hlog = dir.resolve("run.hlog");
        final RunSummary s = run(hlog);
        assertEquals(150_000, s.unique());

        final Histogram corrected = new Histogram(3);
        final Histogram uncorrected = new Histogram(3);
        int intervals = 0;
        try (HistogramLogReader reader = new HistogramLogReader(hlog.toFile())) {
            EncodableHistogram h;
            while ((h = reader.nextIntervalHistogram()) != null) {
                if (h.getTag() == null) {
                    corrected.add((Histogram) h);
                    intervals++;
                } else if (h.getTag().equals(IntervalSample.UNCORRECTED_TAG)) {
                    uncorrected.add((Histogram) h);
                }
            }
            assertEquals(1_700_000_000.0, reader.getStartTimeSec(), 1e-3);
        }
        assertEquals(s.intervals().size(), intervals, "one untagged histogram per interval");
        assertEquals(150_000, corrected.getTotalCount());
        assertEquals(s.corrected().p99(), corrected.getValueAtPercentile(99));
        assertEquals(s.corrected().max(), corrected.getMaxValue());
        assertEquals(s.uncorrected().p999(), uncorrected.getValueAtPercentile(99.9));
        assertTrue(corrected.getMaxValue() > 45_000_000, "the stall is in the log: " + corrected.getMaxValue());

        // HdrHistogram's own processor: percentile distribution of the untagged (corrected) histograms.
        final Path out = dir.resolve("processed");
        final HistogramLogProcessor processor = new HistogramLogProcessor(
            new String[] {"-i", hlog.toString(), "-o", out.toString()});
        processor.run();
        final String distribution = Files.readString(dir.resolve("processed.hgrm"));
        assertTrue(distribution.matches("(?s).*Total count\\s+=\\s+150000\\].*"), distribution);
        // Its default unit ratio reads our nanoseconds as milliseconds: the 50 ms stall is the maximum.
        assertTrue(distribution.matches("(?s).*Max\\s+=\\s+50\\.\\d+,.*"), distribution);
        final String perInterval = Files.readString(out);
        assertTrue(perInterval.lines().count() > 3, perInterval);
    }

    @Test
    void jsonIsValidAndCarriesTheRun() throws Exception {
        final RunSummary s = run(dir.resolve("x.hlog"));
        final String json = JsonReport.run(s, w -> w.name("dut").beginObject().field("note", "quote \" and \\ and \n").endObject());
        JsonSyntax.check(json);
        assertTrue(json.contains("\"mode\": \"loop\""));
        assertTrue(json.contains("\"frames\": 150000"));
        assertTrue(json.contains("\"p99_9\": " + s.corrected().p999()));
        assertTrue(json.contains("\"note\": \"quote \\\" and \\\\ and \\n\""));
        JsonSyntax.check(new JsonWriter().beginObject().name("empty").beginArray().endArray().field("nan", Double.NaN).endObject().toString());
    }

    @Test
    void svgIsWellFormedWithBothPanels() throws Exception {
        final RunSummary s = run(dir.resolve("y.hlog"));
        final String svg = Plots.runDocument(s);
        final Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
            .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getNodeName());
        assertTrue(doc.getElementsByTagName("polyline").getLength() >= 4, "latency curves and rate lines");
        assertTrue(svg.contains("corrected (from intended send time)") && svg.contains("Rate per interval"));
        Files.writeString(dir.resolve("run.svg"), svg);
    }

    @Test
    void unitsReadWell() {
        assertEquals("500 ms", Units.tickNanos(500e6));
        assertEquals("1.5 us", Units.tickNanos(1500));
        assertEquals("12.3 us", Units.nanos(12_300));
        assertEquals("1.000 Mpps", Units.pps(1e6));
        assertEquals(List.of(), List.of());
    }
}

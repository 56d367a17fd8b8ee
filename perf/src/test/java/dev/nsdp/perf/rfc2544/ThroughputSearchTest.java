package dev.nsdp.perf.rfc2544;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.port.MemoryLink;
import dev.nsdp.perf.gen.Generator;
import dev.nsdp.perf.gen.GeneratorConfig;
import dev.nsdp.perf.report.RunSummary;
import dev.nsdp.perf.sink.Sink;
import dev.nsdp.perf.sink.SinkCollector;
import dev.nsdp.perf.sink.SinkConfig;
import dev.nsdp.perf.testing.PolicerPort;
import dev.nsdp.perf.testing.Stepper;
import dev.nsdp.perf.traffic.FrameSizes;
import dev.nsdp.perf.traffic.TrafficProfile;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

class ThroughputSearchTest {
    private static final FrameSizes SIZE = FrameSizes.fixed(64);

    /** A model DUT: forwards everything up to its capacity, loses the excess. */
    private static Trial.Outcome model(final long capacity, final long rate) {
        final long sent = rate; // a one-second trial
        return new Trial.Outcome(sent, Math.min(sent, capacity), 0, rate, null);
    }

    @Test
    void binarySearchFindsTheCapacityWithinTheResolution() {
        final List<Long> rates = new ArrayList<>();
        final ThroughputSearch search = new ThroughputSearch(new ThroughputSearch.Settings(1_000, 10_000_000, 0, 0.001, 40));
        final ThroughputSearch.Result r = search.search(SIZE, (sizes, rate, n) -> {
            rates.add(rate);
            return model(734_567, rate);
        });
        assertTrue(r.throughputPps() <= 734_567, "never above the capacity: " + r.throughputPps());
        assertTrue(r.throughputPps() >= 734_567 * (1 - 0.002), "within the resolution: " + r.throughputPps());
        assertEquals(10_000_000L, rates.get(0), "the first trial is at the maximum");
        assertEquals(5_000_500L, rates.get(1), "then halfway between the minimum and the failed maximum");
        assertTrue(r.best().passed() && r.best().lossRatio() == 0);
        assertEquals(rates.size(), r.trials().size());
        assertFalse(r.testerLimited());
    }

    @Test
    void aPassingMaximumEndsTheSearchAtOnce() {
        final ThroughputSearch search = new ThroughputSearch(new ThroughputSearch.Settings(1_000, 500_000, 0, 0.01, 20));
        final ThroughputSearch.Result r = search.search(SIZE, (sizes, rate, n) -> model(734_567, rate));
        assertEquals(500_000, r.throughputPps());
        assertEquals(1, r.trials().size());
    }

    @Test
    void acceptableLossRatioAndNothingPassing() {
        // Loses 0.1% at every rate: fails at zero loss, passes at an accepted 0.2%.
        final ThroughputSearch.TrialRunner lossy = (sizes, rate, n) -> new Trial.Outcome(rate, rate - rate / 1000, 0, rate, null);
        final ThroughputSearch strict = new ThroughputSearch(new ThroughputSearch.Settings(1_000, 1_000_000, 0, 0.01, 20));
        final ThroughputSearch.Result none = strict.search(SIZE, lossy);
        assertEquals(0, none.throughputPps());
        assertEquals(1_000, none.trials().get(none.trials().size() - 1).ratePps(), "the minimum is tried last");
        final ThroughputSearch tolerant = new ThroughputSearch(new ThroughputSearch.Settings(1_000, 1_000_000, 0.002, 0.01, 20));
        assertEquals(1_000_000, tolerant.search(SIZE, lossy).throughputPps());
    }

    @Test
    void aTesterThatCannotOfferTheRateIsNotMistakenForDutLoss() {
        // The tester tops out at 300 kpps; the DUT would forward anything.
        final ThroughputSearch search = new ThroughputSearch(new ThroughputSearch.Settings(1_000, 1_000_000, 0, 0.01, 30));
        final ThroughputSearch.Result r = search.search(SIZE, (sizes, rate, n) -> {
            final long offered = Math.min(rate, 300_000);
            return new Trial.Outcome(offered, offered, rate - offered, offered, null);
        });
        assertTrue(r.throughputPps() <= 300_000 && r.throughputPps() > 290_000, "found " + r.throughputPps());
        assertTrue(r.testerLimited());
        assertEquals("tester could not offer the rate", r.trials().get(0).verdict());
    }

    @Test
    void searchThroughTheRealGeneratorAndSinkFindsAPolicedCapacity() {
        // Generator -> memory link -> a 400 kpps policer -> sink, on a stepped clock, 50 ms trials.
        final CachedNanoClock clock = new CachedNanoClock();
        final TrafficProfile profile = TrafficProfile.defaults();
        final ThroughputSearch search = new ThroughputSearch(new ThroughputSearch.Settings(10_000, 2_000_000, 0, 0.01, 20));
        try (PacketPool pool = new PacketPool(16_384)) {
            final ThroughputSearch.Result r = search.search(SIZE, (sizes, rate, n) -> {
                final MemoryLink link = new MemoryLink("gen", "dut", 4096);
                final PolicerPort policer = new PolicerPort(link.b(), clock, 400_000, 32);
                final GeneratorConfig config = GeneratorConfig.ofDuration(profile.withSizes(sizes), rate, 50_000_000L).withStreamBase(n);
                final Generator generator = new Generator(config, link.a(), pool, clock);
                final Sink sink = new Sink(SinkConfig.forStreams(1).withStreamBase(n), policer, pool, clock);
                sink.start(clock.nanoTime());
                final Stepper stepper = new Stepper(clock, 1_000);
                stepper.run(1_000_000, generator::isDone, generator, sink);
                stepper.steps(100, sink);
                final SinkCollector collector = new SinkCollector(sink, sink.startNanos(), null, null);
                collector.finish();
                generator.onClose();
                sink.onClose();
                final RunSummary s = RunSummary.of("rfc2544-trial", generator, sink, collector);
                assertEquals(policer.dropped, s.lost(), "every frame the policer dropped is counted lost, no more");
                return Trial.Outcome.of(s);
            });
            assertTrue(r.throughputPps() <= 400_000 && r.throughputPps() >= 400_000 * 0.98, "found " + r.throughputPps());
            assertEquals(0, r.best().summary().lost());
        }
    }
}

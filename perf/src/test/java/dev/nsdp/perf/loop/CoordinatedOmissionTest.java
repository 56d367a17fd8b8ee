package dev.nsdp.perf.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.port.MemoryLink;
import dev.nsdp.perf.gen.Generator;
import dev.nsdp.perf.gen.GeneratorConfig;
import dev.nsdp.perf.sink.LatencySummary;
import dev.nsdp.perf.sink.Sink;
import dev.nsdp.perf.sink.SinkCollector;
import dev.nsdp.perf.sink.SinkConfig;
import dev.nsdp.perf.testing.Stepper;
import dev.nsdp.perf.traffic.TrafficProfile;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A stall of known length P in a run of length T at rate R: frames whose intended time falls in
 * the stall wait until it ends, the frame due at t waiting about (stall end - t). So a fraction
 * (P - x) / T of all frames waits longer than x, and the corrected latency at percentile q is
 * P - (1 - q) T for q above 1 - P / T (and the base latency below it). With T = 1 s and P = 100 ms:
 * p50 and p90 are the base latency, p95 = 50 ms, p99 = 90 ms, p99.9 = 99 ms, p99.99 = 99.9 ms,
 * max = 100 ms. The stepped clock makes the run exact; the tolerance is the time the backlog takes
 * to drain after the stall plus HdrHistogram's 0.1%.
 */
class CoordinatedOmissionTest {
    private static final long STEP = 1_000;
    private static final long T0 = 1_000_000_000L;
    private static final long RATE = 100_000;
    private static final long RUN = 1_000_000_000L;
    private static final long STALL_AT = T0 + 400_000_000L;
    private static final long STALL = 100_000_000L;
    private static final double MS = 1e6;

    private final PacketPool pool = new PacketPool(32_768);
    private final CachedNanoClock clock = new CachedNanoClock();

    @AfterEach
    void closePool() {
        pool.close();
    }

    private static void assertTheory(final Histogram h) {
        final LatencySummary l = LatencySummary.of(h);
        System.out.printf("theory check (ms): p50 %.3f p90 %.3f p95 %.3f p99 %.3f p99.9 %.3f p99.99 %.3f max %.3f%n",
            l.p50() / MS, l.p90() / MS, h.getValueAtPercentile(95) / MS, l.p99() / MS, l.p999() / MS, l.p9999() / MS, l.max() / MS);
        final double tolerance = 0.5 * MS;
        assertTrue(l.p50() < 2 * STEP, "p50 " + l.p50());
        assertTrue(l.p90() < 2 * STEP + tolerance, "p90 " + l.p90());
        assertEquals(50 * MS, h.getValueAtPercentile(95), tolerance + 0.05 * MS);
        assertEquals(90 * MS, l.p99(), tolerance + 0.09 * MS);
        assertEquals(99 * MS, l.p999(), tolerance + 0.099 * MS);
        assertEquals(99.9 * MS, l.p9999(), tolerance + 0.1 * MS);
        assertEquals(100 * MS, l.max(), tolerance + 0.1 * MS);
    }

    private SinkCollector run(final int ringSize, final boolean stallInsideTheDut) {
        clock.update(T0);
        final MemoryLink link = new MemoryLink("gen", "sink", ringSize);
        final GeneratorConfig config = GeneratorConfig.ofDuration(TrafficProfile.defaults(), RATE, RUN);
        final Generator generator = new Generator(config, link.a(), pool, clock);
        final StallingPort port = new StallingPort(link.b(), clock, STALL_AT, STALL);
        final Sink sink = new Sink(SinkConfig.forStreams(1).withSamples(64), stallInsideTheDut ? port : link.b(), pool, clock);
        sink.start(T0);
        // A stalled sink is a sink whose thread does not run: its doWork is not called at all.
        final Agent pausable = new Agent() {
            @Override
            public int doWork() {
                final long since = clock.nanoTime() - STALL_AT;
                return since >= 0 && since < STALL ? 0 : sink.doWork();
            }

            @Override
            public String roleName() {
                return "stalled-sink";
            }
        };
        final Stepper stepper = new Stepper(clock, STEP);
        stepper.run(3 * RUN / STEP, generator::isDone, generator, stallInsideTheDut ? sink : pausable);
        stepper.steps(1000, sink);
        final SinkCollector collector = new SinkCollector(sink, T0, null, null);
        collector.finish();
        assertEquals(config.count(), generator.framesSent());
        assertEquals(config.count(), sink.counters().get(Sink.UNIQUE), "no frame may be lost in this test");
        return collector;
    }

    @Test
    void stalledSinkShowsInCorrectedPercentilesAsTheorySays() {
        // The ring holds the whole stall's frames: the generator keeps its schedule and the frames
        // wait in the ring, so here even the uncorrected latency sees the stall.
        final SinkCollector c = run(16_384, false);
        assertTheory(c.corrected());
        assertTheory(c.uncorrected());
        assertTrue(LatencySummary.of(c.sendLag()).max() < 2 * STEP);
    }

    @Test
    void stalledDutHoldsTheGeneratorBackAndOnlyTheCorrectedLatencyTellsTheTruth() {
        // A 256-frame ring fills in 2.6 ms of the stall; then the port refuses the generator, whose
        // frames wait unsent. Measured from the actual send time (uncorrected), those frames look
        // fast: the stall is omitted. Measured from the intended time it is all there.
        final SinkCollector c = run(256, true);
        assertTheory(c.corrected());
        final LatencySummary uncorrected = LatencySummary.of(c.uncorrected());
        System.out.println("uncorrected: " + uncorrected);
        assertTrue(uncorrected.p99() < 2 * STEP, "uncorrected p99 " + uncorrected.p99());
        assertTrue(uncorrected.p999() < 100 * MS && uncorrected.p9999() > 90 * MS,
            "only the 256 frames in the ring (0.26%) saw the stall: " + uncorrected);
        final LatencySummary lag = LatencySummary.of(c.sendLag());
        assertEquals(100 * MS - 2.56 * MS, lag.max(), 0.5 * MS);
    }
}

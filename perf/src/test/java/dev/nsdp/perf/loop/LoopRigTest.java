package dev.nsdp.perf.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.dataplane.port.Port;
import dev.nsdp.perf.gen.Generator;
import dev.nsdp.perf.gen.GeneratorConfig;
import dev.nsdp.perf.report.RunSummary;
import dev.nsdp.perf.sink.LatencySummary;
import dev.nsdp.perf.sink.Sink;
import dev.nsdp.perf.sink.SinkCollector;
import dev.nsdp.perf.sink.SinkConfig;
import dev.nsdp.perf.testing.Stepper;
import dev.nsdp.perf.traffic.FlowField;
import dev.nsdp.perf.traffic.FrameSizes;
import dev.nsdp.perf.traffic.TrafficProfile;
import java.util.EnumSet;
import java.util.function.UnaryOperator;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

/** Generator -> real nsdp worker (L2 switch in a namespace) -> sink. */
class LoopRigTest {
    @Test
    void steppedThroughTheWorkerEveryFrameIsSwitchedAndAccounted() {
        final CachedNanoClock clock = new CachedNanoClock();
        clock.update(5_000_000_000L);
        final TrafficProfile profile = TrafficProfile.defaults().withSizes(FrameSizes.cycle(84, 1518, 9000)).withIpv6Defaults()
            .withFlows(2, EnumSet.of(FlowField.SRC_PORT));
        // Stall the worker's ingress for 20 ms, 50 ms into the run: its 1024-frame ring fills, the
        // generator is held back, and the corrected maximum is the stall.
        final long stallAt = clock.nanoTime() + 50_000_000L;
        final UnaryOperator<Port> stall = p -> new StallingPort(p, clock, stallAt, 20_000_000L);
        try (LoopRig rig = new LoopRig(9000, 1024, profile.dstMac(), false, stall, false)) {
            final GeneratorConfig config = GeneratorConfig.ofCount(profile, 200_000, 40_000);
            final Generator generator = new Generator(config, rig.generatorPort(), rig.pool(), clock);
            final Sink sink = new Sink(SinkConfig.forStreams(2), rig.sinkPort(), rig.pool(), clock);
            sink.start(clock.nanoTime());
            final Stepper stepper = new Stepper(clock, 1_000);
            stepper.run(10_000_000, generator::isDone, generator, rig.worker(), sink);
            stepper.steps(100, rig.worker(), sink);
            final SinkCollector collector = new SinkCollector(sink, sink.startNanos(), null, null);
            collector.finish();
            final RunSummary s = RunSummary.of("loop", generator, sink, collector);
            assertEquals(40_000, s.framesSent());
            assertEquals(40_000, s.framesReceived());
            assertEquals(0, s.lost());
            assertEquals(0, s.duplicates() + s.reordered() + s.invalidTotal());
            assertEquals(40_000, rig.counters().vectorPackets);
            assertEquals(0, rig.counters().totalDrops());
            assertEquals(s.bytesSent(), s.bytesReceived());
            assertEquals(20_000, s.streams().get(0).unique());
            final LatencySummary corrected = s.corrected();
            assertEquals(20_000_000, corrected.max(), 200_000);
            // Run of 200 ms, stall 20 ms: p99 = 20 ms - 1% of 200 ms (see CoordinatedOmissionTest).
            assertEquals(18_000_000, corrected.p99(), 500_000);
            // Only the 1024 frames in the ring (2.6%) waited after being sent: the uncorrected p95 misses the stall.
            final long uncorrectedP95 = s.uncorrectedHistogram().getValueAtPercentile(95);
            assertTrue(uncorrectedP95 < 10_000, "uncorrected p95 " + uncorrectedP95);
            generator.onClose();
            sink.onClose();
        }
    }

    @Test
    void realThreadsCountExactlyThroughTheWorker() {
        final TrafficProfile profile = TrafficProfile.defaults().withFlows(4, EnumSet.of(FlowField.DST_PORT));
        try (LoopRig rig = new LoopRig(60, 4096, profile.dstMac(), false, UnaryOperator.identity())) {
            final GeneratorConfig config = GeneratorConfig.ofCount(profile, 50_000, 10_000).withStopGrace(20_000_000_000L);
            final DutSnapshot before = DutSnapshot.of(rig.counters());
            final TesterRun.Result r = TesterRun.run("loop", rig.pool(), rig.generatorPort(), rig.sinkPort(), config,
                SinkConfig.forStreams(4), TesterRun.Options.quiet(5_000_000_000L));
            final DutSnapshot dut = DutSnapshot.of(rig.counters()).minus(before);
            assertNull(rig.workerError());
            final RunSummary s = r.summary();
            assertEquals(10_000, s.framesSent());
            assertEquals(10_000, s.unique());
            assertEquals(10_000, s.framesReceived());
            assertEquals(0, s.lost() + s.duplicates() + s.reordered() + s.invalidTotal());
            assertEquals(10_000, dut.frames());
            // One clock: a frame never arrives before it was due.
            assertTrue(s.corrected().min() >= 0 && s.corrected().count() == 10_000);
            assertTrue(s.durationSeconds() >= 0.19, "duration " + s.durationSeconds());
        }
    }
}

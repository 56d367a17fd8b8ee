package dev.nsdp.perf.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.port.MemoryLink;
import dev.nsdp.dataplane.port.Port;
import dev.nsdp.perf.gen.Generator;
import dev.nsdp.perf.gen.GeneratorConfig;
import dev.nsdp.perf.sink.LatencySummary;
import dev.nsdp.perf.sink.Sink;
import dev.nsdp.perf.sink.SinkCollector;
import dev.nsdp.perf.sink.SinkConfig;
import dev.nsdp.perf.testing.DelayPort;
import dev.nsdp.perf.testing.ImpairingPort;
import dev.nsdp.perf.testing.Stepper;
import dev.nsdp.perf.traffic.FlowField;
import dev.nsdp.perf.traffic.FrameSizes;
import dev.nsdp.perf.traffic.TrafficProfile;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Generator -> memory port -> sink, on one thread against a stepped clock, so every count and
 * every latency is exact and the same on every run: the accounting is proven, not sampled.
 */
class LoopAccountingTest {
    private static final long STEP = 1_000; // 1 us per step

    private final PacketPool pool = new PacketPool(32_768, 16_384, 64);
    private final CachedNanoClock clock = new CachedNanoClock();
    private final Stepper stepper = new Stepper(clock, STEP);

    @AfterEach
    void closePool() {
        pool.close();
    }

    private record Run(Generator generator, Sink sink, SinkCollector collector) {
    }

    private Run run(final GeneratorConfig config, final Port txPort, final Port rxPort) {
        clock.update(1_000_000_000L);
        final Generator generator = new Generator(config, txPort, pool, clock);
        final Sink sink = new Sink(SinkConfig.forStreams(config.profile().flows()), rxPort, pool, clock);
        sink.start(clock.nanoTime());
        final SinkCollector collector = new SinkCollector(sink, clock.nanoTime(), null, null);
        final long maxSteps = config.plannedNanos() / STEP + 10_000_000;
        stepper.run(maxSteps, generator::isDone, generator, sink);
        stepper.steps(2_000, sink); // let the last frames arrive
        collector.finish();
        generator.onClose();
        sink.onClose();
        return new Run(generator, sink, collector);
    }

    @Test
    void cleanLinkCountsEveryFrameExactly() {
        final TrafficProfile profile = TrafficProfile.defaults()
            .withFlows(4, EnumSet.of(FlowField.SRC_PORT, FlowField.DST_IP)).withSizes(FrameSizes.imix());
        final MemoryLink link = new MemoryLink("gen", "sink", 4096);
        final Run r = run(GeneratorConfig.ofCount(profile, 1_000_000, 100_003), link.a(), link.b());

        final Sink s = r.sink();
        assertEquals(100_003, r.generator().framesSent());
        assertEquals(0, r.generator().counters().get(Generator.FRAMES_UNSENT));
        assertEquals(100_003, s.counters().get(Sink.FRAMES_RECEIVED));
        assertEquals(100_003, s.counters().get(Sink.UNIQUE));
        assertEquals(0, s.counters().get(Sink.DUPLICATES));
        assertEquals(0, s.counters().get(Sink.REORDERED));
        assertEquals(0, s.tracker().lostTotal());
        assertEquals(0, s.counters().get(Sink.NOT_UDP) + s.counters().get(Sink.NOT_TEST_FRAME)
            + s.counters().get(Sink.BAD_CHECKSUM) + s.counters().get(Sink.FOREIGN_STREAM));
        // Bytes: frames take flows in turn, each flow walks the IMIX pattern.
        long bytes = 0;
        for (long i = 0; i < 100_003; i++) {
            bytes += profile.sizes().size((int) ((i / 4) % 12));
        }
        assertEquals(bytes, r.generator().counters().get(Generator.BYTES_SENT));
        assertEquals(bytes, s.counters().get(Sink.BYTES_RECEIVED));
        for (int flow = 0; flow < 4; flow++) {
            assertEquals(r.generator().sentOfFlow(flow), s.tracker().unique(flow));
            assertEquals(flow < 3 ? 25_001 : 25_000, s.tracker().unique(flow));
        }
        // At 1 Mpps and a 1 us step, each frame is sent and received in the step it is due in.
        final LatencySummary latency = LatencySummary.of(r.collector().corrected());
        assertEquals(100_003, latency.count());
        assertTrue(latency.max() < STEP, "max " + latency.max());
        // Intervals: 0.1 s of traffic in 1 s intervals, all frames in the rows.
        assertEquals(100_003, r.collector().rows().stream().mapToLong(row -> row.received()).sum());
    }

    @Test
    void injectedLossDuplicationAndReorderingAreDetectedExactly() {
        final TrafficProfile profile = TrafficProfile.defaults().withFlows(3, EnumSet.of(FlowField.SRC_PORT));
        final long frames = 60_000;
        final Set<Long> drop = new HashSet<>();
        final Set<Long> duplicate = new HashSet<>();
        final Map<Long, Integer> hold = new HashMap<>();
        for (long i = 100; i < frames - 100; i++) {
            if (i % 997 == 0) {
                drop.add(i);
            } else if (i % 1009 == 0) {
                duplicate.add(i);
            } else if (i % 1013 == 0) {
                hold.put(i, 5); // delivered after the next 5 frames: behind frames of its own stream
            }
        }
        final MemoryLink link = new MemoryLink("gen", "sink", 4096);
        final ImpairingPort impair = new ImpairingPort(link.b(), pool, drop, duplicate, hold);
        final Run r = run(GeneratorConfig.ofCount(profile, 2_000_000, frames), link.a(), impair);

        final Sink s = r.sink();
        assertEquals(0, impair.stillHeld());
        assertEquals(frames, r.generator().framesSent());
        assertEquals(frames - drop.size() + duplicate.size(), s.counters().get(Sink.FRAMES_RECEIVED));
        assertEquals(frames - drop.size(), s.counters().get(Sink.UNIQUE));
        assertEquals(duplicate.size(), s.counters().get(Sink.DUPLICATES));
        assertEquals(hold.size(), s.counters().get(Sink.REORDERED));
        assertEquals(drop.size(), s.tracker().lostTotal());
        // Per stream: frame i belongs to stream i % 3.
        for (int stream = 0; stream < 3; stream++) {
            final int k = stream;
            assertEquals(drop.stream().filter(i -> i % 3 == k).count(), r.generator().sentOfFlow(k) - s.tracker().unique(k));
            assertEquals(duplicate.stream().filter(i -> i % 3 == k).count(), s.tracker().duplicates(k));
            assertEquals(hold.keySet().stream().filter(i -> i % 3 == k).count(), s.tracker().reordered(k));
        }
        // Duplicates are not recorded as latency samples: one sample per unique frame.
        assertEquals(frames - drop.size(), r.collector().corrected().getTotalCount());
        assertTrue(drop.size() > 50 && duplicate.size() > 50 && hold.size() > 50);
    }

    @Test
    void latencyOfADelayingPortIsMeasuredWithinOneClockStep() {
        final long delay = 250_000; // 250 us
        final TrafficProfile profile = TrafficProfile.defaults().withSizes(FrameSizes.fixed(1518));
        final MemoryLink link = new MemoryLink("gen", "sink", 4096);
        final DelayPort delayed = new DelayPort(link.b(), clock, delay, 8192);
        final Run r = run(GeneratorConfig.ofCount(profile, 100_000, 20_000), link.a(), delayed);

        assertEquals(20_000, r.sink().counters().get(Sink.UNIQUE));
        final LatencySummary latency = LatencySummary.of(r.collector().corrected());
        // Stated error: the clock step (the sink sees a frame at the first poll at or after its
        // release) plus HdrHistogram's 3 significant digits (0.1%).
        final double error = STEP + delay * 0.001;
        assertTrue(latency.min() >= delay - delay * 0.001, "min " + latency.min());
        assertTrue(latency.max() <= delay + error, "max " + latency.max());
        assertEquals(delay, latency.p50(), error);
        assertEquals(delay, latency.p9999(), error);
        // The generator kept its schedule, so corrected and uncorrected agree.
        assertEquals(latency.p99(), LatencySummary.of(r.collector().uncorrected()).p99(), error);
    }
}

package dev.nsdp.perf.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.port.MemoryLink;
import dev.nsdp.perf.gen.Generator;
import dev.nsdp.perf.gen.GeneratorConfig;
import dev.nsdp.perf.sink.Sink;
import dev.nsdp.perf.sink.SinkConfig;
import dev.nsdp.perf.traffic.FlowField;
import dev.nsdp.perf.traffic.FrameSizes;
import dev.nsdp.perf.traffic.TrafficProfile;
import java.lang.management.ManagementFactory;
import java.util.EnumSet;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

/**
 * Generating and sinking allocate nothing per frame: after warm-up, a million frames through
 * generator -> memory port -> sink (frame building, pacing, validation, sequence accounting, three
 * histogram records per frame, interval rollover) allocate less than 64 KiB on the thread running
 * both agents. A stepped clock (1 us per round at 32 Mpps: one full burst per round) keeps the run
 * independent of the machine's speed; 10 ms intervals roll over every 10,000 rounds, and with
 * nobody collecting them the sink also takes its "collector is behind" path.
 */
class ZeroAllocationTest {
    private static final long FRAMES = 1_000_000;
    private static final long BUDGET_BYTES = 64 * 1024;

    @Test
    void oneMillionFramesGeneratedAndSunkAllocateUnder64KiB() {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final CachedNanoClock clock = new CachedNanoClock();
        try (PacketPool pool = new PacketPool(16_384)) {
            final MemoryLink link = new MemoryLink("gen", "sink", 4096);
            for (final TrafficProfile profile : new TrafficProfile[] {
                TrafficProfile.defaults().withFlows(16, EnumSet.of(FlowField.SRC_PORT)).withSizes(FrameSizes.imix()),
                TrafficProfile.defaults().withSizes(FrameSizes.fixed(128)).withIpv6Defaults()}) {
                final GeneratorConfig config = GeneratorConfig.ofCount(profile, 32_000_000L, 4 * FRAMES);
                final Generator generator = new Generator(config, link.a(), pool, clock);
                final Sink sink = new Sink(SinkConfig.forStreams(profile.flows()).withInterval(10_000_000L), link.b(), pool,
                    clock);
                run(clock, generator, sink, 2 * FRAMES); // warm-up: JIT compiles both paths
                final long before = threads.getCurrentThreadAllocatedBytes();
                final long received = run(clock, generator, sink, 3 * FRAMES);
                final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                assertTrue(received >= FRAMES, "received " + received);
                assertTrue(allocated < BUDGET_BYTES, profile.describe() + ": " + received + " frames allocated "
                    + allocated + " bytes (budget " + BUDGET_BYTES + ")");
                run(clock, generator, sink, 4 * FRAMES);
                assertEquals(4 * FRAMES, sink.counters().get(Sink.UNIQUE));
                generator.onClose();
                sink.onClose();
            }
        }
    }

    /** Runs both agents until the sink has {@code untilReceived} frames; returns how many it took. */
    private static long run(final CachedNanoClock clock, final Generator generator, final Sink sink, final long untilReceived) {
        final long start = sink.counters().get(Sink.FRAMES_RECEIVED);
        long rounds = 0;
        while (sink.counters().get(Sink.FRAMES_RECEIVED) < untilReceived && rounds++ < 10 * untilReceived) {
            generator.doWork();
            sink.doWork();
            clock.advance(1_000);
        }
        return sink.counters().get(Sink.FRAMES_RECEIVED) - start;
    }
}

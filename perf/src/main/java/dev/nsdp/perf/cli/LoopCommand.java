package dev.nsdp.perf.cli;

import dev.nsdp.dataplane.port.Port;
import dev.nsdp.perf.gen.GeneratorConfig;
import dev.nsdp.perf.loop.DutSnapshot;
import dev.nsdp.perf.loop.LoopRig;
import dev.nsdp.perf.loop.StallingPort;
import dev.nsdp.perf.loop.TesterRun;
import dev.nsdp.perf.report.ConsoleReport;
import dev.nsdp.perf.report.HlogFile;
import dev.nsdp.perf.report.JsonReport;
import dev.nsdp.perf.report.Plots;
import dev.nsdp.perf.report.RunSummary;
import dev.nsdp.perf.report.Units;
import dev.nsdp.perf.sink.SinkConfig;
import dev.nsdp.perf.traffic.FrameSizes;
import dev.nsdp.perf.traffic.TrafficProfile;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.agrona.concurrent.SystemNanoClock;

/**
 * {@code perf loop}: a self-contained run, generator -> memory link -> a real nsdp worker switching
 * in a namespace -> memory link -> sink, all in this process.
 */
final class LoopCommand {
    static final String HELP = """
        perf loop [options]
          Generator -> memory port -> nsdp worker (L2 switch, one namespace, its own thread) -> memory port
          -> sink, in this process. Prints a line per interval, then a summary with the DUT's busy time per
          frame. Generator and sink share one "tester" thread; the worker has its own.
          run:
            --rate R          frames/s (1000, 250k, 1.5Mpps) or a bit rate (1Gbps, at the average frame size) [1Mpps]
            --duration D      how long to send (500ms, 10s, 2m)                                    [10s]
            --count N         send exactly N frames instead of a duration
            --burst B         most frames handed to the port at once (1..256); a late generator
                              sends its backlog a burst per round, never more                      [32]
            --grace D         after the last frame is due, how long a refusing port may hold the generator [2s]
            --drain D         after the last frame is sent, how long to wait for frames in flight  [1s]
            --warmup D        an unmeasured run at the same rate first, so the JIT has compiled the
                              generator, sink and worker before the measured run (0s: none)        [1s]
          device under test:
            --ring N          frames each memory link holds per direction (power of two)           [4096]
            --dut-idle MODE   poll: nsdp's idle strategy (spin, yield, then park up to 1 ms; memory ports
                              have no descriptor to block on); spin: busy-spin                      [poll]
            --stall-at D --stall-for D   the worker's ingress receives nothing for D from D after the
                              start: a stall of known length, to see coordinated omission corrected
        """;

    private static final Set<String> VALUES = Set.of("rate", "duration", "count", "burst", "grace", "drain", "ring", "dut-idle",
        "stall-at", "stall-for", "warmup");

    private LoopCommand() {
    }

    static int run(final List<String> args, final PrintStream out, final AtomicBoolean stop) {
        final Set<String> values = new HashSet<>(VALUES);
        values.addAll(TrafficOptions.VALUES);
        values.addAll(Outputs.VALUES);
        final Set<String> flags = new HashSet<>(TrafficOptions.FLAGS);
        flags.addAll(Outputs.FLAGS);
        final Arguments a = new Arguments("loop", args, values, flags);
        final TrafficProfile profile = TrafficOptions.parse(a, "64");
        final Outputs outputs = new Outputs(a);
        final long rate = a.rate("rate", 1_000_000, profile.sizes().average());
        final GeneratorConfig config = RunOptions.generatorConfig(a, profile, rate);
        final int ring = a.integer("ring", 4096);
        if (ring < 64 || ring > 1 << 20 || Integer.bitCount(ring) != 1) {
            throw new UsageException("--ring must be a power of two in 64..1048576, got " + ring);
        }
        final String idle = a.string("dut-idle", "poll");
        if (!idle.equals("poll") && !idle.equals("spin")) {
            throw new UsageException("--dut-idle must be poll or spin, got '" + idle + "'");
        }
        final long drain = a.nanos("drain", 1_000_000_000L);
        final long stallFor = a.nanos("stall-for", 0);
        final long stallAt = a.nanos("stall-at", 1_000_000_000L);
        if (a.has("stall-at") && stallFor == 0) {
            throw new UsageException("--stall-at needs --stall-for (how long the stall lasts)");
        }
        final SinkConfig sinkConfig = SinkConfig.forStreams(profile.flows()).withInterval(outputs.intervalNanos);

        final long warmup = a.nanos("warmup", 1_000_000_000L);
        final AtomicReference<StallingPort> stalling = new AtomicReference<>();
        final UnaryOperator<Port> dutIngress = p -> {
            stalling.set(new StallingPort(p, SystemNanoClock.INSTANCE, Long.MAX_VALUE, 0));
            return stalling.get();
        };
        out.println("nsdp perf loop: generator -> memory link -> nsdp worker (L2 switch in namespace '" + LoopRig.NAMESPACE
            + "') -> memory link -> sink");
        out.println("  " + profile.describe());
        out.printf(Locale.ROOT, "  target %s (%s), %s frames over %.3f s%s%n", Units.pps(rate),
            Units.bits(rate * profile.sizes().average() * 8), Units.count(config.count()), (config.plannedNanos() + 1e9 / rate) / 1e9,
            stallFor > 0 ? String.format(Locale.ROOT, "; DUT stalls for %s at %s", Units.nanos(stallFor), Units.nanos(stallAt)) : "");
        try (LoopRig rig = new LoopRig(profile.sizes().max() - FrameSizes.FCS, ring, profile.dstMac(), idle.equals("spin"), dutIngress);
             HlogFile hlog = outputs.openHlog(outputs.hlog, "nsdp perf loop: " + profile.describe())) {
            if (warmup > 0) {
                out.printf(Locale.ROOT, "  warm-up: %s at the target rate, not measured%n", Units.nanos(warmup));
                final GeneratorConfig warm = new GeneratorConfig(profile, rate, GeneratorConfig.framesIn(warmup, rate), config.burst(),
                    config.stopGraceNanos(), profile.flows());
                TesterRun.run("warmup", rig.pool(), rig.generatorPort(), rig.sinkPort(), warm,
                    SinkConfig.forStreams(profile.flows()).withStreamBase(profile.flows()), TesterRun.Options.quiet(drain));
            }
            final long start = SystemNanoClock.INSTANCE.nanoTime() + 10_000_000L;
            if (stallFor > 0) {
                stalling.get().schedule(start + stallAt, stallFor);
            }
            final DutSnapshot before = DutSnapshot.of(rig.counters());
            final TesterRun.Result result = TesterRun.run("loop", rig.pool(), rig.generatorPort(), rig.sinkPort(), config, sinkConfig,
                new TesterRun.Options(drain, hlog, outputs.quiet ? null : row -> out.println(ConsoleReport.intervalLine(row)), stop,
                    start));
            final DutSnapshot dut = DutSnapshot.of(rig.counters()).minus(before);
            if (rig.workerError() != null) {
                throw new IllegalStateException("the DUT worker failed: " + rig.workerError(), rig.workerError());
            }
            final RunSummary summary = result.summary();
            out.print(ConsoleReport.summary(summary));
            out.printf(Locale.ROOT, "%nDUT (nsdp worker): switched %s frames, busy %s per frame, %.1f frames per busy poll, "
                    + "idle polls %s, drops %s (%s)%n", Units.count(dut.frames()), Units.nanos(dut.busyNanosPerFrame()), dut.framesPerBusyPoll(),
                Units.count(dut.idlePolls()), Units.count(dut.drops()), dut.dropReasons());
            if (dut.dropReasons().contains("tx-ring-full")) {
                out.println("  (tx-ring-full: the worker found the memory ring toward the sink full, i.e. the tester thread, which also"
                    + " generates, did not drain it in time: a tester limit, not the worker's)");
            }
            final StringBuilder written = new StringBuilder();
            Outputs.write(outputs.json, JsonReport.run(summary, w -> w.name("dut").beginObject()
                .field("framesSwitched", dut.frames()).field("busyNanosPerFrame", dut.busyNanosPerFrame())
                .field("framesPerBusyPoll", dut.framesPerBusyPoll()).field("busyPolls", dut.busyPolls())
                .field("idlePolls", dut.idlePolls()).field("drops", dut.drops()).field("dropReasons", dut.dropReasons()).field("idleStrategy", idle)
                .field("stallAtNanos", stallFor > 0 ? stallAt : 0).field("stallNanos", stallFor).endObject()), written);
            Outputs.write(outputs.svg, Plots.runDocument(summary), written);
            if (outputs.hlog != null) {
                written.append("  wrote ").append(outputs.hlog).append('\n');
            }
            out.print(written);
            return 0;
        }
    }
}

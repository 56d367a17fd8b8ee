package dev.nsdp.perf.cli;

import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.port.Port;
import dev.nsdp.perf.gen.Generator;
import dev.nsdp.perf.gen.GeneratorConfig;
import dev.nsdp.perf.report.JsonReport;
import dev.nsdp.perf.report.JsonWriter;
import dev.nsdp.perf.report.Units;
import dev.nsdp.perf.traffic.FrameSizes;
import dev.nsdp.perf.traffic.TrafficProfile;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.status.AtomicCounter;

/** {@code perf gen}: the generator alone, into a kernel link or a TAP. */
final class GenCommand {
    static final String HELP = """
        perf gen --link NAME | --tap NAME [options]
          Sends test frames into a kernel link or TAP at the target rate, open loop, and stops at its bound
          (--duration or --count; a port that refuses frames holds it at most --grace longer). Run 'perf sink'
          on the receiving side, on this host (the sink needs the same clock, CLOCK_MONOTONIC).
          run:
            --rate R --duration D --count N --burst B --grace D   as for 'perf loop'          [100kpps, 10s]
            --json FILE       the generator's figures as JSON
            --quiet           no per-second lines
            --qdisc-path      send through the link's qdisc (default: PACKET_QDISC_BYPASS, straight to the
                              driver, as trafgen does since Linux 3.14)
        """;
    private static final Set<String> VALUES = Set.of("rate", "duration", "count", "burst", "grace", "json");

    private GenCommand() {
    }

    static int run(final List<String> args, final PrintStream out, final AtomicBoolean stop) {
        final Set<String> values = new HashSet<>(VALUES);
        values.addAll(TrafficOptions.VALUES);
        values.addAll(KernelPorts.VALUES);
        final Set<String> flags = new HashSet<>(TrafficOptions.FLAGS);
        flags.add("quiet");
        flags.add("qdisc-path");
        final Arguments a = new Arguments("gen", args, values, flags);
        final TrafficProfile profile = TrafficOptions.parse(a, "64");
        final long rate = a.rate("rate", 100_000, profile.sizes().average());
        final GeneratorConfig config = RunOptions.generatorConfig(a, profile, rate);
        final java.nio.file.Path json = a.has("json") ? java.nio.file.Path.of(a.string("json", "")).toAbsolutePath() : null;
        final int largest = profile.sizes().max() - FrameSizes.FCS;
        final Port port = KernelPorts.open(a, largest, KernelPorts.Direction.TRANSMIT);
        out.println("nsdp perf gen: " + profile.describe() + " into " + port.name());
        out.printf(Locale.ROOT, "  target %s (%s), %s frames%n", Units.pps(rate), Units.bits(rate * profile.sizes().average() * 8),
            Units.count(config.count()));
        try (PacketPool pool = KernelPorts.pool(largest)) {
            final Generator generator = new Generator(config, port, pool, SystemNanoClock.INSTANCE);
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final AgentRunner runner = new AgentRunner(new BusySpinIdleStrategy(), failure::set, (AtomicCounter) null, generator);
            AgentRunner.startOnThread(runner);
            long lastSent = 0;
            long lastTime = System.nanoTime();
            try {
                while (!generator.isDone() && failure.get() == null) {
                    if (stop.get()) {
                        generator.requestStop();
                    }
                    LockSupport.parkNanos(100_000_000L);
                    final long now = System.nanoTime();
                    if (now - lastTime >= 1_000_000_000L && !a.flag("quiet")) {
                        final long sent = generator.framesSent();
                        out.printf(Locale.ROOT, "  sent %-14s %s%n", Units.count(sent), Units.pps((sent - lastSent) * 1e9 / (now - lastTime)));
                        lastSent = sent;
                        lastTime = now;
                    }
                }
            } finally {
                runner.close();
                port.close(null);
            }
            if (failure.get() != null) {
                throw new IllegalStateException("generator failed: " + failure.get(), failure.get());
            }
            final long sent = generator.framesSent();
            final long bytes = generator.counters().get(Generator.BYTES_SENT);
            final double seconds = sent == 0 ? 0 : (generator.lastSendNanos() - generator.startNanos() + 1e9 / rate) / 1e9;
            final double pps = seconds > 0 ? sent / seconds : 0;
            final double bits = seconds > 0 ? bytes * 8 / seconds : 0;
            out.printf(Locale.ROOT, "%nsent %s frames in %.3f s: %s, %s (line %s); not sent %s; port refusals %s; max send lag %s%n",
                Units.count(sent), seconds, Units.pps(pps), Units.bits(bits), Units.bits(bits + pps * 160),
                Units.count(generator.counters().get(Generator.FRAMES_UNSENT)),
                Units.count(generator.counters().get(Generator.PORT_REFUSALS)),
                Units.nanos(generator.counters().get(Generator.MAX_SEND_LAG)));
            if (json != null) {
                final JsonWriter w = new JsonWriter().beginObject().field("tool", "nsdp-perf")
                    .field("formatVersion", JsonReport.FORMAT_VERSION).field("mode", "gen");
                w.name("traffic").beginObject().field("description", profile.describe()).field("ipVersion", profile.ipVersion())
                    .field("streams", profile.flows()).field("frameSizes", profile.sizes().name()).endObject();
                w.field("port", port.name()).field("targetRatePps", rate).field("durationSeconds", seconds);
                w.name("offered").beginObject().field("frames", sent).field("bytes", bytes).field("pps", pps)
                    .field("bitsPerSecond", bits).field("lineBitsPerSecond", bits + pps * 160)
                    .field("unsent", generator.counters().get(Generator.FRAMES_UNSENT))
                    .field("portRefusals", generator.counters().get(Generator.PORT_REFUSALS))
                    .field("maxSendLagNanos", generator.counters().get(Generator.MAX_SEND_LAG)).endObject();
                final StringBuilder written = new StringBuilder();
                Outputs.write(json, w.endObject().toString(), written);
                out.print(written);
            }
            return 0;
        }
    }
}

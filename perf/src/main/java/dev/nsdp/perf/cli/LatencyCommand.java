package dev.nsdp.perf.cli;

import dev.nsdp.perf.gen.GeneratorConfig;
import dev.nsdp.perf.loop.LoopRig;
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
import java.util.function.UnaryOperator;

/**
 * {@code perf latency}: a probe stream at a low, steady rate through a device under test, generator
 * and sink in one process on one clock, and the one-way latency distribution it saw (corrected for
 * coordinated omission). The DUT is two kernel ports' worth of anything ({@link TesterPorts}) or
 * the in-process nsdp worker.
 */
final class LatencyCommand {
    static final String HELP = """
        perf latency [--tx-link NAME --rx-link NAME ...] [options]
          One-way latency through a device under test at a low, steady rate (default 1 kpps for 10 s):
          percentiles p50 .. p99.99 and max, corrected for coordinated omission, plus loss and reordering.
          run:
            --rate R --duration D --count N --burst B --grace D   as for 'perf loop'            [1kpps, 10s]
            --drain D         how long the sink waits for the last frames                          [1s]
        """;
    private static final Set<String> VALUES = Set.of("rate", "duration", "count", "burst", "grace", "drain");

    private LatencyCommand() {
    }

    static int run(final List<String> args, final PrintStream out, final AtomicBoolean stop) {
        final Set<String> values = new HashSet<>(VALUES);
        values.addAll(TrafficOptions.VALUES);
        values.addAll(Outputs.VALUES);
        values.addAll(TesterPorts.VALUES);
        final Set<String> flags = new HashSet<>(TrafficOptions.FLAGS);
        flags.addAll(Outputs.FLAGS);
        final Arguments a = new Arguments("latency", args, values, flags);
        final TrafficProfile profile = TrafficOptions.parse(a, "64");
        final Outputs outputs = new Outputs(a);
        final long rate = a.rate("rate", 1_000, profile.sizes().average());
        final GeneratorConfig config = RunOptions.generatorConfig(a, profile, rate);
        final long drain = a.nanos("drain", 1_000_000_000L);
        final int largest = profile.sizes().max() - FrameSizes.FCS;
        try (TesterPorts ports = TesterPorts.kernelPortsGiven(a) ? TesterPorts.kernel(a, largest)
            : TesterPorts.loop(new LoopRig(largest, 4096, profile.dstMac(), false, UnaryOperator.identity()));
             HlogFile hlog = outputs.openHlog(outputs.hlog, "nsdp perf latency: " + profile.describe())) {
            out.println("nsdp perf latency: " + ports.path);
            out.printf(Locale.ROOT, "  %s, %s, %s frames%n", profile.describe(), Units.pps(rate), Units.count(config.count()));
            final TesterRun.Result result = TesterRun.run("latency", ports.pool, ports.tx, ports.rx, config,
                SinkConfig.forStreams(profile.flows()).withInterval(outputs.intervalNanos),
                new TesterRun.Options(drain, hlog, outputs.quiet ? null : row -> out.println(ConsoleReport.intervalLine(row)), stop, 0));
            final RunSummary summary = result.summary();
            out.print(ConsoleReport.summary(summary));
            final StringBuilder written = new StringBuilder();
            Outputs.write(outputs.json, JsonReport.run(summary), written);
            Outputs.write(outputs.svg, Plots.runDocument(summary), written);
            if (outputs.hlog != null) {
                written.append("  wrote ").append(outputs.hlog).append('\n');
            }
            out.print(written);
            return 0;
        }
    }
}

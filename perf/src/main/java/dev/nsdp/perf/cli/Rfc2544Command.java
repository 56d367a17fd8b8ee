package dev.nsdp.perf.cli;

import dev.nsdp.perf.gen.GeneratorConfig;
import dev.nsdp.perf.loop.LoopRig;
import dev.nsdp.perf.loop.TesterRun;
import dev.nsdp.perf.report.ConsoleReport;
import dev.nsdp.perf.report.HlogFile;
import dev.nsdp.perf.report.Units;
import dev.nsdp.perf.rfc2544.Rfc2544Report;
import dev.nsdp.perf.rfc2544.ThroughputSearch;
import dev.nsdp.perf.rfc2544.Trial;
import dev.nsdp.perf.sink.SinkConfig;
import dev.nsdp.perf.traffic.FrameSizes;
import dev.nsdp.perf.traffic.TestPayload;
import dev.nsdp.perf.traffic.TrafficProfile;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/** {@code perf rfc2544}: throughput by binary search through the in-process loop, then latency at that rate. */
final class Rfc2544Command {
    static final String HELP = """
        perf rfc2544 [options]
          RFC 2544 throughput (section 26.1) through the loop of 'perf loop' or a DUT between two links: for each size, a binary
          search for the highest rate with no loss (or at most --loss), one trial per step; then a latency
          trial at that rate (section 26.2, corrected for coordinated omission). A trial the generator could
          not offer is reported as tester-limited, not as DUT loss.
          search:
            --sizes S,...     frame sizes, each searched separately; 'imix' allowed   [64,128,256,512,1024,1280,1518]
            --min-rate R --max-rate R   the search interval; the first trial is at the maximum   [10kpps, 10Mpps]
            --trial D         trial duration; RFC 2544 asks for at least 60s                [10s]
            --loss X          acceptable loss ratio (0.001 or 0.1%)                        [0]
            --resolution X    stop when the interval is narrower than this share of the rate [1%]
            --max-trials N    most search trials per size                                  [20]
            --latency-trial D duration of the latency trial at the found rate; 0s: none     [the --trial duration]
            --burst B --grace D --drain D --ring N --dut-idle poll|spin   as for 'perf loop'
        """;

    private static final Set<String> VALUES = Set.of("sizes", "min-rate", "max-rate", "trial", "loss", "resolution",
        "max-trials", "latency-trial", "burst", "grace", "drain", "ring", "dut-idle");

    private Rfc2544Command() {
    }

    static int run(final List<String> args, final PrintStream out, final AtomicBoolean stop) {
        final Set<String> values = new HashSet<>(VALUES);
        values.addAll(TrafficOptions.VALUES);
        values.addAll(TesterPorts.VALUES);
        values.remove("size");
        values.addAll(Outputs.VALUES);
        final Set<String> flags = new HashSet<>(TrafficOptions.FLAGS);
        flags.addAll(Outputs.FLAGS);
        final Arguments a = new Arguments("rfc2544", args, values, flags);
        final List<FrameSizes> sizes = new ArrayList<>();
        for (final String s : a.string("sizes", "64,128,256,512,1024,1280,1518").split(",")) {
            try {
                sizes.add(FrameSizes.parse(s));
            } catch (final IllegalArgumentException e) {
                throw new UsageException("--sizes: " + e.getMessage());
            }
        }
        // Validate every size against the traffic (IPv6 minimum) before anything runs.
        final List<TrafficProfile> profiles = new ArrayList<>();
        for (final FrameSizes s : sizes) {
            profiles.add(TrafficOptions.parse(a, s));
        }
        final TrafficProfile base = profiles.get(0);
        final Outputs outputs = new Outputs(a);
        final double smallest = sizes.stream().mapToDouble(FrameSizes::average).min().orElseThrow();
        final ThroughputSearch.Settings settings;
        try {
            settings = new ThroughputSearch.Settings(a.rate("min-rate", 10_000, smallest), a.rate("max-rate", 10_000_000, smallest),
                a.ratio("loss", 0), a.ratio("resolution", 0.01), a.integer("max-trials", 20));
        } catch (final IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        final long trial = a.nanos("trial", 10_000_000_000L);
        if (trial < 10_000_000L) {
            throw new UsageException("--trial must be at least 10ms");
        }
        final long latencyTrial = a.nanos("latency-trial", trial);
        final int burst = a.integer("burst", GeneratorConfig.DEFAULT_BURST);
        final long grace = a.nanos("grace", GeneratorConfig.DEFAULT_STOP_GRACE_NANOS);
        final long drain = a.nanos("drain", 1_000_000_000L);
        final int ring = a.integer("ring", 4096);
        if (ring < 64 || Integer.bitCount(ring) != 1) {
            throw new UsageException("--ring must be a power of two >= 64");
        }
        final String idle = a.string("dut-idle", "poll");
        if (!idle.equals("poll") && !idle.equals("spin")) {
            throw new UsageException("--dut-idle must be poll or spin, got '" + idle + "'");
        }
        final int largest = sizes.stream().mapToInt(FrameSizes::max).max().orElseThrow() - FrameSizes.FCS;
        final int trialsAtMost = sizes.size() * (settings.maxTrials() + 1);
        final List<Rfc2544Report.SizeOutcome> outcomes = new ArrayList<>();
        try (TesterPorts ports = TesterPorts.kernelPortsGiven(a) ? TesterPorts.kernel(a, largest)
            : TesterPorts.loop(new LoopRig(largest, ring, base.dstMac(), idle.equals("spin"), UnaryOperator.identity()))) {
            out.println("nsdp perf rfc2544: throughput through " + ports.path);
            out.println("  " + base.describe().replaceAll(", frame size .*$", "") + ", sizes " + a.string("sizes", "RFC 2544 list"));
            out.printf(Locale.ROOT, "  search %s .. %s, loss <= %s, resolution %.2f%%, trials of %s (at most %d trials and %d latency "
                    + "trials: up to %.0f minutes; --sizes and --trial shorten it)%n",
                Units.pps(settings.minRatePps()), Units.pps(settings.maxRatePps()), Units.percent(settings.acceptableLossRatio()),
                settings.resolution() * 100, Units.nanos(trial), trialsAtMost, latencyTrial > 0 ? sizes.size() : 0,
                (trialsAtMost * (trial + drain) + sizes.size() * latencyTrial) / 60e9);
            final ThroughputSearch search = new ThroughputSearch(settings);
            final int[] runNumber = {0};
            for (int i = 0; i < sizes.size() && !stop.get(); i++) {
                final TrafficProfile profile = profiles.get(i);
                final FrameSizes size = sizes.get(i);
                out.println();
                out.println("frame size " + size.name() + ":");
                final ThroughputSearch.Result result = search.search(size, (s, rate, n) -> {
                    if (stop.get()) {
                        return new Trial.Outcome(0, 0, 1, 0, null);
                    }
                    return Trial.Outcome.of(trial(ports, profile, rate, trial, burst, grace, drain, ++runNumber[0], null, stop,
                        outputs).summary());
                }, t -> out.println(Rfc2544Report.trialLine(size, t)));
                dev.nsdp.perf.report.RunSummary latency = null;
                if (result.throughputPps() > 0 && latencyTrial > 0 && !stop.get()) {
                    try (HlogFile hlog = outputs.openHlog(Outputs.tagged(outputs.hlog, size.name()),
                        "nsdp perf rfc2544 latency trial, size " + size.name() + " at " + result.throughputPps() + " pps")) {
                        out.printf(Locale.ROOT, "  latency trial at %s for %s%n", Units.pps(result.throughputPps()), Units.nanos(latencyTrial));
                        latency = trial(ports, profile, result.throughputPps(), latencyTrial, burst, grace, drain, ++runNumber[0], hlog,
                            stop, outputs).summary();
                        out.print(ConsoleReport.summary(latency).replaceAll("(?m)^", "    "));
                    }
                }
                outcomes.add(new Rfc2544Report.SizeOutcome(result, latency));
            }
        }
        out.print(Rfc2544Report.table(outcomes));
        final StringBuilder written = new StringBuilder();
        final String traffic = base.describe().replaceAll(", frame size .*$", "");
        Outputs.write(outputs.json, Rfc2544Report.json(settings, trial / 1e9, latencyTrial / 1e9, traffic, outcomes), written);
        Outputs.write(outputs.svg, Rfc2544Report.svg(traffic, trial / 1e9, settings.acceptableLossRatio(), outcomes), written);
        if (outputs.hlog != null) {
            written.append("  wrote ").append(Outputs.tagged(outputs.hlog, "SIZE")).append(" (one per frame size with a latency trial)\n");
        }
        out.print(written);
        return 0;
    }

    private static TesterRun.Result trial(final TesterPorts ports, final TrafficProfile profile, final long rate, final long duration,
        final int burst, final long grace, final long drain, final int run, final HlogFile hlog, final AtomicBoolean stop,
        final Outputs outputs) {
        // Each trial has its own stream ids, so frames of an earlier trial still in flight are counted as
        // foreign, never as this trial's.
        final int streamBase = (run * profile.flows()) % (TestPayload.MAX_STREAMS - profile.flows());
        final GeneratorConfig config = new GeneratorConfig(profile, rate, GeneratorConfig.framesIn(duration, rate), burst, grace,
            streamBase);
        final SinkConfig sink = SinkConfig.forStreams(profile.flows()).withStreamBase(streamBase).withInterval(outputs.intervalNanos);
        return TesterRun.run("rfc2544", ports.pool, ports.tx, ports.rx, config, sink,
            new TesterRun.Options(drain, hlog, null, stop, 0));
    }
}

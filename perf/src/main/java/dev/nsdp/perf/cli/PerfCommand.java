package dev.nsdp.perf.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The perf command line: {@code perf gen | sink | loop | rfc2544 | latency | help [COMMAND]}. Exit status 0
 * on success, 2 for a bad command line (the message says what to change), 1 when a run failed.
 * Ctrl-C ends a run early and still prints and writes its reports.
 */
public final class PerfCommand {
    static final String USAGE = """
        usage: perf COMMAND [options]      (scripts/perf in the nsdp tree)
          loop      generator -> memory port -> nsdp worker -> memory port -> sink, in this process
          rfc2544   RFC 2544 throughput (binary search) and latency at that rate: through the same loop, or
                    through any DUT between two kernel links or TAPs (--tx-link/--rx-link, --tx-netns/--rx-netns)
          latency   one-way latency of a low-rate probe stream through the loop or a DUT between two links
          gen       the generator alone, into a kernel link (AF_PACKET) or a TAP
          sink      the latency sink alone, on a kernel link or a TAP
          help      this text; 'perf help COMMAND' for a command's options
        Frame sizes count the 4-byte FCS (RFC 2544): a 64-byte frame is 60 bytes in memory. Latency is one-way,
        in HdrHistogram, corrected for coordinated omission: measured from each frame's intended send time.
        Examples:
          perf loop --rate 2Mpps --duration 10s --report /tmp/loop
          perf loop --rate 200k --duration 5s --stall-at 2s --stall-for 100ms --svg /tmp/stall.svg
          perf rfc2544 --sizes 64,1518 --trial 5s --report /tmp/rfc
          perf latency --tx-link g0 --tx-netns gen --rx-link s0 --rx-netns sink --dst-mac 02:..:.. --rate 1k
        Every command line is also `nsdp perf ...`.
        """;

    private PerfCommand() {
    }

    public static void main(final String[] args) {
        final AtomicBoolean stop = new AtomicBoolean();
        final CountDownLatch finished = new CountDownLatch(1);
        final Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                finished.await(10, TimeUnit.SECONDS); // let the run print and write its reports
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "perf-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        final int status = run(args, System.out, System.err, stop);
        finished.countDown();
        System.out.flush();
        System.exit(status);
    }

    /** Runs a command; returns the exit status. */
    public static int run(final String[] args, final PrintStream out, final PrintStream err, final AtomicBoolean stop) {
        if (args.length == 0) {
            err.print(USAGE);
            return 2;
        }
        final List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            if (rest.contains("--help") || rest.contains("-h")) {
                out.print(help(args[0]));
                return 0;
            }
            return switch (args[0]) {
                case "loop" -> LoopCommand.run(rest, out, stop);
                case "rfc2544" -> Rfc2544Command.run(rest, out, stop);
                case "gen" -> GenCommand.run(rest, out, stop);
                case "sink" -> SinkCommand.run(rest, out, stop);
                case "latency" -> LatencyCommand.run(rest, out, stop);
                case "help", "--help", "-h" -> {
                    out.print(rest.isEmpty() ? USAGE : help(rest.get(0)));
                    yield 0;
                }
                default -> throw new UsageException("unknown command '" + args[0] + "': use loop, rfc2544, latency, gen, sink or help");
            };
        } catch (final UsageException e) {
            err.println("perf: " + e.getMessage());
            return 2;
        } catch (final RuntimeException e) {
            err.println("perf: " + e.getMessage());
            return 1;
        }
    }

    static String help(final String command) {
        return switch (command) {
            case "loop" -> LoopCommand.HELP + TrafficOptions.HELP + Outputs.HELP;
            case "rfc2544" -> Rfc2544Command.HELP + TesterPorts.HELP
                + TrafficOptions.HELP.replaceAll("(?s)            --size S.*?\\[64\\]\\n", "") + Outputs.HELP;
            case "latency" -> LatencyCommand.HELP + TesterPorts.HELP + TrafficOptions.HELP + Outputs.HELP;
            case "gen" -> GenCommand.HELP + KernelPorts.HELP + TrafficOptions.HELP;
            case "sink" -> SinkCommand.HELP + KernelPorts.HELP + Outputs.HELP;
            default -> throw new UsageException("no help for '" + command + "': commands are loop, rfc2544, latency, gen, sink");
        };
    }
}

package dev.nsdp.dataplane.forwarder;

import dev.nsdp.dataplane.pipeline.WorkerIdleStrategy;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * {@code scripts/forward [options] CONFIG}: runs nsdp as the host's forwarding process.
 *
 * <pre>
 *   --check                 check CONFIG (syntax and the namespace model) and exit; opens nothing
 *   --cpu N                 pin the worker thread to CPU N
 *   --idle balanced|latency how an idle worker waits (see WorkerIdleStrategy.Mode)
 *   --status-interval S     a status line every S seconds (default 5; 0: none)
 *   --stats-file PATH       rewrite PATH with every counter as JSON every second, on SIGUSR1 and at exit
 *   --duration S            stop by itself after S seconds (benchmarks, tests)
 * </pre>
 * Signals: SIGTERM and SIGINT drain and close everything and exit 0; SIGUSR1 prints every counter
 * (and rewrites the stats file). A shutdown hook does the same stop for any other way out.
 *
 * <p>Exit status: 0 stopped cleanly; 1 could not start (a link missing, no privilege, a ring the
 * kernel would not map ...) or stopped on an error; 2 a wrong command line or configuration file.
 */
public final class ForwarderMain {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    private static final String USAGE = """
        usage: forward [options] CONFIG
          --check               check CONFIG and exit (opens nothing)
          --cpu N               pin the worker thread to CPU N
          --idle MODE           balanced (default): block in poll() soon after the last frame, costing
                                nothing idle; latency: keep spinning for 1 s after the last frame, so
                                low-rate traffic never waits for a wake-up (the core does nothing else
                                meanwhile: not for a core the kernel steers RPS work to)
          --status-interval S   print a status line every S seconds (default 5; 0: never)
          --stats-file PATH     write every counter as JSON to PATH every second, on SIGUSR1 and at exit
          --duration S          stop after S seconds
        CONFIG grammar: see README.md (section "The forwarder") or dev.nsdp.dataplane.forwarder.ForwarderConfig""";

    private ForwarderMain() {
    }

    public static void main(final String[] args) {
        final int status = run(args, System.out, System.err);
        System.out.flush();
        System.exit(status);
    }

    /** The whole program; returns the exit status. */
    static int run(final String[] args, final PrintStream out, final PrintStream err) {
        final Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (final IllegalArgumentException e) {
            err.println("forward: " + e.getMessage());
            err.println(USAGE);
            return EXIT_USAGE;
        }
        if (arguments == null) {
            out.println(USAGE);
            return EXIT_OK;
        }
        final ForwarderConfig config;
        try {
            config = ForwarderConfig.load(arguments.config);
        } catch (final ConfigException e) {
            err.println("forward: " + e.getMessage());
            return EXIT_USAGE;
        } catch (final NoSuchFileException e) {
            err.println("forward: configuration file " + arguments.config + " does not exist");
            return EXIT_USAGE;
        } catch (final IOException e) {
            err.println("forward: cannot read " + arguments.config + ": " + e);
            return EXIT_USAGE;
        }
        if (arguments.check) {
            out.println("forward: " + config.source() + ": OK, " + config.namespaces().size() + " namespaces and "
                + config.ports().size() + " ports (root not counted)");
            return EXIT_OK;
        }

        final CountDownLatch stop = new CountDownLatch(1);
        final Forwarder forwarder;
        try {
            forwarder = Forwarder.start(config, arguments.options, out);
        } catch (final ForwarderException e) {
            err.println("forward: " + e.getMessage());
            return EXIT_FAILED;
        }
        final List<String> unhandled = new ArrayList<>();
        handle("TERM", stop::countDown, unhandled);
        handle("INT", stop::countDown, unhandled);
        handle("USR1", forwarder::requestDump, unhandled);
        // Any other way out (SIGHUP, System.exit elsewhere, a signal we could not take) still stops cleanly.
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("nsdp-shutdown").unstarted(forwarder::close));
        forwarder.printStartup();
        if (!unhandled.isEmpty()) {
            out.println("nsdp forward: cannot handle SIG" + String.join(", SIG", unhandled)
                + " (ignored by the parent, or taken by the JVM); the shutdown hook still stops cleanly");
        }

        try {
            final long deadline = arguments.durationSeconds > 0
                ? System.nanoTime() + TimeUnit.SECONDS.toNanos(arguments.durationSeconds) : Long.MAX_VALUE;
            while (stop.getCount() > 0 && !forwarder.isStopped()) {
                final long left = deadline - System.nanoTime();
                if (arguments.durationSeconds > 0 && left <= 0) {
                    out.println("nsdp forward: --duration " + arguments.durationSeconds + " s reached");
                    break;
                }
                stop.await(Math.min(200, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))), TimeUnit.MILLISECONDS);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        forwarder.close();
        final Throwable failure = forwarder.failure();
        if (failure != null) {
            err.println("forward: stopped on an error: " + failure);
            return EXIT_FAILED;
        }
        return EXIT_OK;
    }

    private static void handle(final String name, final Runnable action, final List<String> unhandled) {
        try {
            Signal.handle(new Signal(name), signal -> action.run());
        } catch (final IllegalArgumentException e) {
            unhandled.add(name);
        }
    }

    /** The parsed command line. */
    private record Arguments(Path config, boolean check, Forwarder.Options options, long durationSeconds) {
        /** Null for --help. */
        static Arguments parse(final String[] args) {
            Path config = null;
            boolean check = false;
            Forwarder.Options options = Forwarder.Options.DEFAULTS;
            long duration = 0;
            for (int i = 0; i < args.length; i++) {
                final String arg = args[i];
                switch (arg) {
                    case "-h", "--help" -> {
                        return null;
                    }
                    case "--check" -> check = true;
                    case "--cpu" -> options = options.withWorkerCpu((int) number(args, i++, 0, 1023));
                    case "--idle" -> options = options.withIdleMode(WorkerIdleStrategy.Mode.parse(value(args, i++)));
                    case "--status-interval" -> options = options.withStatusIntervalMillis(number(args, i++, 0, 86_400) * 1000);
                    case "--stats-file" -> options = options.withStatsFile(Path.of(value(args, i++)));
                    case "--duration" -> duration = number(args, i++, 1, 31_536_000);
                    default -> {
                        if (arg.startsWith("-")) {
                            throw new IllegalArgumentException("unknown option " + arg);
                        }
                        if (config != null) {
                            throw new IllegalArgumentException("one configuration file only (got " + config + " and " + arg + ")");
                        }
                        config = Path.of(arg);
                    }
                }
            }
            if (config == null) {
                throw new IllegalArgumentException("no configuration file given");
            }
            return new Arguments(config, check, options, duration);
        }

        private static String value(final String[] args, final int i) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            return args[i + 1];
        }

        private static long number(final String[] args, final int i, final long min, final long max) {
            final String text = value(args, i);
            final long n;
            try {
                n = Long.parseLong(text);
            } catch (final NumberFormatException e) {
                throw new IllegalArgumentException(args[i] + " needs a whole number, got '" + text + "'");
            }
            if (n < min || n > max) {
                throw new IllegalArgumentException(args[i] + " must be " + min + ".." + max + ", got " + n);
            }
            return n;
        }
    }
}

package dev.nsdp.dataplane.forwarder;

import dev.nsdp.dataplane.Dataplane;
import dev.nsdp.dataplane.pipeline.WorkerIdleStrategy;
import dev.nsdp.dataplane.forwarder.ConfigException.Problem;
import dev.nsdp.dataplane.namespace.NamespaceException;
import dev.nsdp.dataplane.nativ.Errno;
import dev.nsdp.dataplane.nativ.LibC;
import dev.nsdp.dataplane.port.Port;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * nsdp as the host's forwarding process: one {@link Dataplane} (a worker thread) configured from a
 * {@link ForwarderConfig}, its ports supervised, its counters reported.
 *
 * <p><b>Start</b> ({@link #start}): the file was already checked whole; then the process's
 * privileges are checked, every port is opened (if any fails, those already opened are closed
 * again and the start fails naming each line), the worker starts (pinned to a CPU if asked), the
 * configuration is applied through the namespace registry and the ports set up.
 *
 * <p><b>Run</b>: a control thread owns the registry from then on. Every {@code superviseMillis}
 * it runs the {@link LinkSupervisor} (link down, gone, re-created, back), takes a counter snapshot
 * ({@link #stats()}), prints a status line every {@code statusIntervalMillis} and rewrites the stats
 * file every {@code statsIntervalMillis}. The worker never waits for any of it.
 *
 * <p><b>Stop</b> ({@link #close}): the control thread sets every port down and syncs with the
 * worker (the round in flight finishes and flushes its transmit bursts), prints the final counters,
 * writes the stats file a last time and closes the dataplane: the worker closes every port on its
 * own thread (sockets closed, rings unmapped, TAPs it created removed), then the packet memory is
 * freed. Nothing the forwarder created outlives it.
 */
public final class Forwarder implements AutoCloseable {
    /**
     * How the forwarder runs (the configuration file says what it forwards).
     *
     * @param workerCpu            CPU to pin the worker thread to, or -1 for none
     * @param statusIntervalMillis a status line every this many ms (0: none)
     * @param statsFile            file to rewrite with every counter as JSON, or null
     * @param statsIntervalMillis  how often the stats file is rewritten
     * @param superviseMillis      how often links are checked and counters snapshotted
     */
    public record Options(int workerCpu, long statusIntervalMillis, Path statsFile, long statsIntervalMillis,
                          long superviseMillis, WorkerIdleStrategy.Mode idleMode) {
        public static final Options DEFAULTS = new Options(-1, 5_000, null, 1_000, 100, WorkerIdleStrategy.Mode.BALANCED);

        public Options {
            if (workerCpu < -1 || statusIntervalMillis < 0 || statsIntervalMillis < 1 || superviseMillis < 1) {
                throw new IllegalArgumentException("workerCpu >= -1, statusIntervalMillis >= 0, statsIntervalMillis >= 1"
                    + " and superviseMillis >= 1");
            }
        }

        public Options withWorkerCpu(final int cpu) {
            return new Options(cpu, statusIntervalMillis, statsFile, statsIntervalMillis, superviseMillis, idleMode);
        }

        public Options withStatusIntervalMillis(final long millis) {
            return new Options(workerCpu, millis, statsFile, statsIntervalMillis, superviseMillis, idleMode);
        }

        public Options withStatsFile(final Path file) {
            return new Options(workerCpu, statusIntervalMillis, file, statsIntervalMillis, superviseMillis, idleMode);
        }

        public Options withStatsIntervalMillis(final long millis) {
            return new Options(workerCpu, statusIntervalMillis, statsFile, millis, superviseMillis, idleMode);
        }

        public Options withIdleMode(final WorkerIdleStrategy.Mode mode) {
            return new Options(workerCpu, statusIntervalMillis, statsFile, statsIntervalMillis, superviseMillis, mode);
        }

        public Options withSuperviseMillis(final long millis) {
            return new Options(workerCpu, statusIntervalMillis, statsFile, statsIntervalMillis, millis, idleMode);
        }
    }

    private static final long STOP_TIMEOUT_MILLIS = 15_000;

    private final ForwarderConfig config;
    private final Options options;
    private final PrintStream out;
    private final Dataplane dataplane;
    private final List<SupervisedPort> ports;
    private final LinkSupervisor supervisor;
    private final long startNanos = System.nanoTime();
    private final Thread controlThread;
    private final CountDownLatch firstRound = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean dumpRequested = new AtomicBoolean();
    private volatile boolean stopRequested;
    private volatile ForwarderStats stats;
    private volatile Throwable failure;
    private boolean statsFileFailed;

    private Forwarder(final ForwarderConfig config, final Options options, final PrintStream out, final Dataplane dataplane,
                      final List<SupervisedPort> ports) {
        this.config = config;
        this.options = options;
        this.out = out;
        this.dataplane = dataplane;
        this.ports = ports;
        this.supervisor = new LinkSupervisor(dataplane, config, ports, out);
        this.stats = ForwarderStats.take(dataplane, ports, startNanos);
        this.controlThread = Thread.ofPlatform().name("nsdp-control").unstarted(this::run);
    }

    /**
     * Starts forwarding as {@code config} says. Returns once the worker runs, every port is attached
     * and the supervisor has made its first round.
     *
     * @throws ForwarderException privilege missing, a port that would not open (each failing line
     *                            named), a CPU that cannot be pinned; nothing is left open
     */
    public static Forwarder start(final ForwarderConfig config, final Options options, final PrintStream out)
        throws ForwarderException {
        final String missing = Capabilities.ofThisProcess().missingFor(config);
        if (missing != null) {
            throw new ForwarderException(config.source() + ": cannot start: " + missing);
        }
        final Map<ConfigStatement.Port, Port> opened = openAll(config);
        final Dataplane dataplane;
        try {
            dataplane = new Dataplane(config.dataplane(), options.idleMode());
        } catch (final RuntimeException | OutOfMemoryError e) {
            opened.values().forEach(Port::close);
            throw new ForwarderException(config.source() + ": cannot start: the packet pool or MAC table could not be"
                + " allocated (" + e + "): lower pool-buffers or mac-table-entries on the dataplane line", e);
        }
        try {
            startWorker(dataplane, options.workerCpu());
        } catch (final ForwarderException e) {
            dataplane.close(); // the worker never ran: its ports are not attached yet
            opened.values().forEach(Port::close);
            throw e;
        }
        final List<Problem> problems = new ArrayList<>();
        ConfigApplier.apply(dataplane.namespaces(), config.statements(), opened::get, problems);
        if (!problems.isEmpty()) {
            // The dry run accepted the file, so this is a bug; attached ports are closed by the worker.
            closeUnattached(dataplane, opened);
            dataplane.close();
            throw new ForwarderException(new ConfigException(config.source(), problems).getMessage());
        }
        dataplane.sync();
        final List<SupervisedPort> supervised = new ArrayList<>();
        for (final Map.Entry<ConfigStatement.Port, Port> entry : opened.entrySet()) {
            supervised.add(new SupervisedPort(entry.getKey(), entry.getValue()));
        }
        final Forwarder forwarder = new Forwarder(config, options, out, dataplane, supervised);
        forwarder.controlThread.start();
        try {
            forwarder.firstRound.await(10, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return forwarder;
    }

    private static Map<ConfigStatement.Port, Port> openAll(final ForwarderConfig config) throws ForwarderException {
        final Map<ConfigStatement.Port, Port> opened = new LinkedHashMap<>();
        final List<String> failures = new ArrayList<>();
        for (final ConfigStatement.Port spec : config.ports()) {
            try {
                opened.put(spec, PortOpener.open(spec));
            } catch (final ForwarderException e) {
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            opened.values().forEach(Port::close);
            throw new ForwarderException(config.source() + ": cannot start, " + failures.size()
                + (failures.size() == 1 ? " port" : " ports") + " would not open (nothing was left open):"
                + System.lineSeparator() + "  " + String.join(System.lineSeparator() + "  ", failures));
        }
        return opened;
    }

    private static void closeUnattached(final Dataplane dataplane, final Map<ConfigStatement.Port, Port> opened) {
        for (final Map.Entry<ConfigStatement.Port, Port> entry : opened.entrySet()) {
            try {
                dataplane.namespaces().port(entry.getKey().namespace(), entry.getKey().name());
            } catch (final NamespaceException notAttached) {
                entry.getValue().close();
            }
        }
    }

    /** Starts the worker thread, pinned to {@code cpu} from inside the thread before the agent's first round. */
    private static void startWorker(final Dataplane dataplane, final int cpu) throws ForwarderException {
        final AtomicInteger pinned = new AtomicInteger();
        final CountDownLatch ready = new CountDownLatch(1);
        final ThreadFactory factory = agent -> Thread.ofPlatform().name(dataplane.worker().name()).unstarted(() -> {
            if (cpu >= 0) {
                pinned.set(LibC.pinCurrentThread(cpu));
            }
            ready.countDown();
            if (pinned.get() == 0) {
                agent.run();
            }
        });
        dataplane.start(factory);
        try {
            if (!ready.await(10, TimeUnit.SECONDS)) {
                throw new ForwarderException("the worker thread did not start within 10 s");
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ForwarderException("interrupted while starting the worker");
        }
        if (pinned.get() < 0) {
            throw new ForwarderException("cannot pin the worker to cpu " + cpu + ": sched_setaffinity failed with "
                + Errno.name(-pinned.get()) + (-pinned.get() == Errno.EINVAL
                ? " (no such CPU online, or outside this process's cpuset: see `nproc` and `taskset -p $$`)" : ""));
        }
    }

    /** Prints what runs: namespaces, ports with their links, the worker. */
    public void printStartup() {
        final ForwarderStats s = stats;
        final List<String> names = new ArrayList<>();
        for (final ForwarderStats.NamespaceStats n : s.namespaces()) {
            names.add(n.name() + (n.level().equals("l3") ? " (l3)" : ""));
        }
        out.printf(Locale.ROOT, "nsdp forward: %s: %d namespaces (%s), %d ports%n", config.source(),
            s.namespaces().size(), String.join(", ", names), s.ports().size());
        for (final ForwarderStats.PortStats p : s.ports()) {
            out.printf(Locale.ROOT, "  port %-24s %-8s %-15s kernel namespace '%s', ifindex %d, link %s%s%n",
                p.namespace() + "/" + p.name(), p.kind(), p.link(), p.kernelNamespace(), p.ifindex(), p.state(),
                isUp(p) ? "" : ", admin down");
        }
        out.printf(Locale.ROOT, "nsdp forward: worker %s%s; forwarding. SIGTERM or SIGINT stops, SIGUSR1 prints all"
                + " counters%s%n", dataplane.worker().name(),
            options.workerCpu() >= 0 ? " pinned to cpu " + options.workerCpu() : " (not pinned)",
            options.statsFile() == null ? "" : "; counters in " + options.statsFile());
    }

    private boolean isUp(final ForwarderStats.PortStats p) {
        for (final ConfigStatement.Port spec : config.ports()) {
            if (spec.namespace().equals(p.namespace()) && spec.name().equals(p.name())) {
                return spec.up();
            }
        }
        return false;
    }

    /** The latest counter snapshot (at most {@code superviseMillis} old). */
    public ForwarderStats stats() {
        return stats;
    }

    public Dataplane dataplane() {
        return dataplane;
    }

    public ForwarderConfig config() {
        return config;
    }

    /** Asks the control thread to print every counter and rewrite the stats file now (SIGUSR1). */
    public void requestDump() {
        dumpRequested.set(true);
        LockSupport.unpark(controlThread);
    }

    /** Waits until the forwarder has stopped (after {@link #close} or a fatal error); false on timeout. */
    public boolean awaitStopped(final long timeout, final TimeUnit unit) throws InterruptedException {
        return stopped.await(timeout, unit);
    }

    public boolean isStopped() {
        return stopped.getCount() == 0;
    }

    /** What stopped the control thread, if it was not {@link #close}. */
    public Throwable failure() {
        return failure;
    }

    /** Drains and closes everything (see the class comment); waits for it, {@value #STOP_TIMEOUT_MILLIS} ms at most. */
    @Override
    public void close() {
        stopRequested = true;
        LockSupport.unpark(controlThread);
        if (Thread.currentThread() == controlThread) {
            return;
        }
        try {
            if (!stopped.await(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                out.println("nsdp forward: the control thread did not finish stopping within " + STOP_TIMEOUT_MILLIS + " ms");
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        final long superviseNanos = TimeUnit.MILLISECONDS.toNanos(options.superviseMillis());
        long nextStatus = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.statusIntervalMillis());
        long nextStatsFile = System.nanoTime();
        ForwarderStats lastStatus = stats;
        try {
            while (!stopRequested) {
                supervisor.check();
                final ForwarderStats now = ForwarderStats.take(dataplane, ports, startNanos);
                stats = now;
                firstRound.countDown();
                if (options.statusIntervalMillis() > 0 && now.nanoTime() - nextStatus >= 0) {
                    out.println(now.statusLine(lastStatus));
                    lastStatus = now;
                    nextStatus += TimeUnit.MILLISECONDS.toNanos(options.statusIntervalMillis());
                }
                if (options.statsFile() != null && now.nanoTime() - nextStatsFile >= 0) {
                    writeStatsFile(now);
                    nextStatsFile = now.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.statsIntervalMillis());
                }
                if (dumpRequested.getAndSet(false)) {
                    out.print(now.report());
                    writeStatsFile(now);
                }
                LockSupport.parkNanos(superviseNanos);
            }
        } catch (final Throwable t) {
            failure = t;
            out.println("nsdp forward: stopping after an error on the control thread: " + t);
        } finally {
            firstRound.countDown();
            try {
                teardown();
            } finally {
                stopped.countDown();
            }
        }
    }

    private void teardown() {
        supervisor.close();
        try {
            for (final SupervisedPort port : ports) {
                if (port.port != null && port.spec.up()) {
                    dataplane.namespaces().setPortUp(ConfigApplier.CALLER, port.spec.namespace(), port.spec.name(), false);
                }
            }
            dataplane.sync(); // the round in flight has flushed its transmit bursts; nothing new is switched
            final ForwarderStats last = ForwarderStats.take(dataplane, ports, startNanos);
            stats = last;
            out.print(last.report());
            writeStatsFile(last);
        } catch (final RuntimeException e) {
            out.println("nsdp forward: could not drain cleanly (" + e.getMessage() + "); closing anyway");
        }
        dataplane.close(); // the worker closes every port on its thread, then the pool is freed
        out.println("nsdp forward: stopped; every port closed");
        out.flush();
    }

    private void writeStatsFile(final ForwarderStats s) {
        final Path file = options.statsFile();
        if (file == null) {
            return;
        }
        final Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.writeString(temporary, s.toJson(), StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            statsFileFailed = false;
        } catch (final IOException e) {
            if (!statsFileFailed) {
                out.println("nsdp forward: cannot write the stats file " + file + ": " + e);
            }
            statsFileFailed = true;
        }
    }
}

package dev.nsdp.control.api;

import dev.nsdp.control.journal.Journal;
import dev.nsdp.control.journal.JournalSync;
import dev.nsdp.dataplane.Dataplane;
import dev.nsdp.dataplane.pipeline.Worker;
import dev.nsdp.dataplane.pipeline.WorkerCounters;
import dev.nsdp.dataplane.pipeline.WorkerIdleStrategy;
import dev.nsdp.dataplane.port.PacketSocketOptions;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * The forwarding daemon ({@code scripts/nsdpd}): one dataplane whose ports are real AF_PACKET
 * sockets and TAP devices in any kernel network namespace (and memory ports, for tests), programmed
 * through the control API, every accepted change journaled and replayed on start. A port whose
 * link is missing at replay stays configured (a placeholder) and the start goes on; a supervisor
 * reopens it once the link appears, and reopens any port whose link was deleted and made again.
 *
 * <pre>
 * java ... dev.nsdp.control.api.ControlDaemon [--socket PATH] [--journal DIR | --no-journal]
 *          [--journal-sync sync|async|none] [--tcp PORT] [--admin-group GROUP] [--socket-group GROUP]
 *          [--idle balanced|latency] [--workers N]
 * </pre>
 * Defaults: socket /run/nsdp/nsdp.sock, journal /var/lib/nsdp/journal, sync, no TCP, admin group
 * nsdp-admin, socket group nsdp. Prints {@code nsdp-control ready ...} on standard output once it
 * serves; stops on SIGTERM/SIGINT.
 */
public final class ControlDaemon {
    /** How often ports of missing or re-created links are reopened. */
    static final long SUPERVISE_MILLIS = 1_000;

    private ControlDaemon() {
    }

    public static void main(final String[] args) throws InterruptedException {
        ControlServerConfig config = ControlServerConfig.DEFAULTS;
        Path journalDir = Path.of(Journal.DEFAULT_DIRECTORY);
        JournalSync sync = JournalSync.SYNC;
        WorkerIdleStrategy.Mode idle = WorkerIdleStrategy.Mode.BALANCED;
        int workers = 1;
        for (int i = 0; i < args.length; i++) {
            final String arg = args[i];
            final String value = i + 1 < args.length ? args[i + 1] : null;
            switch (arg) {
                case "--socket" -> config = config.withSocket(Path.of(need(arg, value)));
                case "--journal" -> journalDir = Path.of(need(arg, value));
                case "--no-journal" -> {
                    journalDir = null;
                    continue;
                }
                case "--journal-sync" -> sync = JournalSync.valueOf(need(arg, value).toUpperCase(Locale.ROOT));
                case "--idle" -> idle = WorkerIdleStrategy.Mode.parse(need(arg, value));
                case "--workers" -> workers = Integer.parseInt(need(arg, value));
                case "--tcp" -> config = config.withTcpPort(Integer.parseInt(need(arg, value)));
                case "--admin-group" -> config = config.withAdminGroup(need(arg, value));
                case "--socket-group" -> config = config.withSocketGroup(need(arg, value));
                default -> {
                    System.err.println("nsdp-control: unknown option " + arg);
                    System.exit(2);
                }
            }
            i++;
        }

        final Dataplane dataplane = new Dataplane(new Dataplane.Config(8192, 65_536), idle, workers).start();
        final Journal journal = journalDir == null ? null : Journal.open(journalDir, sync);
        final ControlService service = new ControlService(dataplane.namespaces(), new KernelPortFactory(dataplane::sync, PacketSocketOptions.defaults(), workers), journal)
            .counters(dataplane.workers().stream().map(Worker::counters).toArray(WorkerCounters[]::new));
        final long replayed = service.start();
        final ControlServer server = ControlServer.start(config, service);
        final Thread supervisor = Thread.ofPlatform().daemon().name("nsdp-link-supervisor").start(() -> superviseLinks(service));
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            supervisor.interrupt();
            server.close();
            service.close();
            if (journal != null) {
                journal.close();
            }
            dataplane.close();
            stopped.countDown();
        }, "nsdp-control-shutdown"));
        System.out.println("nsdp-control ready socket=" + server.socketPath() + " tcp=" + server.tcpPort()
            + " journal=" + journalDir + " replayed=" + replayed);
        System.out.flush();
        stopped.await();
    }

    /**
     * Once a second, ports whose kernel link was missing or went away and came back are reopened
     * ({@link ControlService#reopenPorts}), so a link that is deleted and made again carries traffic
     * again without a restart or a configuration change.
     */
    private static void superviseLinks(final ControlService service) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(SUPERVISE_MILLIS);
                service.reopenPorts();
            } catch (final InterruptedException e) {
                return;
            } catch (final RuntimeException e) {
                System.err.println("nsdp-control: link supervisor: " + e.getMessage());
            }
        }
    }

    private static String need(final String option, final String value) {
        if (value == null) {
            System.err.println("nsdp-control: " + option + " needs a value");
            System.exit(2);
        }
        return value;
    }
}

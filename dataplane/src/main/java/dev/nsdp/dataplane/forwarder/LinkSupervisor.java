package dev.nsdp.dataplane.forwarder;

import dev.nsdp.dataplane.Dataplane;
import dev.nsdp.dataplane.counter.DropReason;
import dev.nsdp.dataplane.forwarder.KernelLinkProbe.LinkStatus;
import dev.nsdp.dataplane.forwarder.SupervisedPort.LinkState;
import dev.nsdp.dataplane.namespace.NamespaceException;
import dev.nsdp.dataplane.nativ.KernelNamespace;
import dev.nsdp.dataplane.nativ.NativeException;
import dev.nsdp.dataplane.pipeline.WorkerCounters;
import dev.nsdp.dataplane.port.Port;
import dev.nsdp.dataplane.port.PortCounters;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The slow path that keeps configured ports attached to their kernel links, run on the control
 * thread every round (the worker never waits for it and never makes a syscall for it).
 *
 * <p>Each round asks the kernel, per port, which ifindex its link name has now and whether it is
 * up and running (two ioctls through a {@link KernelLinkProbe}):
 * <ul>
 * <li>Same ifindex: only the state is noted. A link going from up to down (or away) is counted
 *     ({@link SupervisedPort#downEvents}); the worker already skips a port whose link is down
 *     (the port's own {@code isLinkUp}), and the rest keeps forwarding.</li>
 * <li>No such link, or its kernel namespace is gone: the port is detached (the worker closes its
 *     socket, unmaps its rings, and so releases the link and the namespace).</li>
 * <li>A different ifindex under the same name (deleted and re-created, as a container restart
 *     does): an AF_PACKET socket stays bound to the ifindex it was bound to, so the port would
 *     never see the new link. The port is detached and reopened on the new one.</li>
 * <li>Detached and the link is back: reopened and reattached with its VLAN mappings, static MACs
 *     and admin state from the configuration ({@link SupervisedPort#reopens}). A TAP the forwarder
 *     created is re-created at once when it disappears; failed attempts are retried every second.</li>
 * </ul>
 */
final class LinkSupervisor implements AutoCloseable {
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Dataplane dataplane;
    private final ForwarderConfig config;
    private final List<SupervisedPort> ports;
    private final PrintStream log;
    /** One probe per kernel namespace in use, keyed by its pinning path ("" for our own namespace). */
    private final Map<String, KernelLinkProbe> probes = new HashMap<>();
    private final Map<String, Long> nextProbeAttempt = new HashMap<>();

    LinkSupervisor(final Dataplane dataplane, final ForwarderConfig config, final List<SupervisedPort> ports,
                   final PrintStream log) {
        this.dataplane = dataplane;
        this.config = config;
        this.ports = ports;
        this.log = log;
    }

    /** One round over every port. */
    void check() {
        final long now = System.nanoTime();
        for (final SupervisedPort port : ports) {
            final KernelLinkProbe probe = probeFor(port.spec.kernelNamespace(), now);
            if (probe == null) {
                if (port.port != null) {
                    detach(port, "kernel namespace '" + port.spec.kernelNamespace().displayName() + "' is gone");
                }
                continue;
            }
            final LinkStatus status = probe.status(port.spec.link());
            if (port.port != null) {
                final int bound = SupervisedPort.ifindexOf(port.port);
                if (status.exists() && status.ifindex() == bound) {
                    note(port, status.up() ? LinkState.UP : LinkState.DOWN);
                    continue;
                }
                detach(port, status.exists()
                    ? "link re-created (ifindex " + bound + " -> " + status.ifindex() + ")"
                    : "link gone");
            }
            if ((status.exists() || port.ownsLink) && now - port.nextAttemptNanos >= 0) {
                reattach(port, probe);
            }
        }
    }

    private void note(final SupervisedPort port, final LinkState state) {
        if (!port.observed) {
            port.observed = true;
            port.state = state;
            return;
        }
        if (port.state == state) {
            return;
        }
        if (port.state == LinkState.UP) {
            port.downEvents++;
        }
        log.println("nsdp forward: port " + port.label() + ": link " + port.spec.link() + " " + state.label()
            + (state == LinkState.UP ? "" : " (down events: " + port.downEvents + ")"));
        port.state = state;
    }

    private void detach(final SupervisedPort port, final String why) {
        final int index = dataplane.namespaces().port(port.spec.namespace(), port.spec.name()).portIndex();
        dataplane.namespaces().removePort(ConfigApplier.CALLER, port.spec.namespace(), port.spec.name());
        dataplane.sync(); // the worker has let go of the port and closed it
        carry(port, index, port.port);
        port.port = null;
        if (port.state == LinkState.UP) {
            port.downEvents++;
        }
        port.state = LinkState.GONE;
        port.observed = true;
        port.nextAttemptNanos = System.nanoTime();
        log.println("nsdp forward: port " + port.label() + ": " + why + "; detached (down events: " + port.downEvents
            + "), reopened when " + port.spec.link() + " returns");
    }

    private void reattach(final SupervisedPort port, final KernelLinkProbe probe) {
        final Port opened;
        try {
            opened = PortOpener.open(port.spec);
        } catch (final ForwarderException e) {
            if (!e.getMessage().equals(port.lastError)) {
                log.println("nsdp forward: port " + port.label() + ": reopen failed, retrying every second: " + e.getMessage());
            }
            port.lastError = e.getMessage();
            port.nextAttemptNanos = System.nanoTime() + RETRY_NANOS;
            return;
        }
        try {
            ConfigApplier.reattach(dataplane.namespaces(), config.statements(), port.spec, opened);
        } catch (final NamespaceException e) {
            // Cannot happen with a configuration that passed its dry run; never leave the socket behind.
            undo(port, opened);
            port.lastError = "reattach refused: " + e.getMessage();
            port.nextAttemptNanos = System.nanoTime() + RETRY_NANOS;
            log.println("nsdp forward: port " + port.label() + ": " + port.lastError);
            return;
        }
        dataplane.sync();
        port.port = opened;
        port.reopens++;
        port.lastError = null;
        final boolean up = probe.status(port.spec.link()).up();
        port.state = up ? LinkState.UP : LinkState.DOWN;
        log.println("nsdp forward: port " + port.label() + ": reopened on " + port.spec.link() + " (ifindex "
            + SupervisedPort.ifindexOf(opened) + ", link " + port.state.label() + ", reopens: " + port.reopens + ")");
    }

    private void undo(final SupervisedPort port, final Port opened) {
        try {
            dataplane.namespaces().port(port.spec.namespace(), port.spec.name());
            dataplane.namespaces().removePort(ConfigApplier.CALLER, port.spec.namespace(), port.spec.name());
            dataplane.sync(); // the worker closed it
        } catch (final NamespaceException notAttached) {
            opened.close();
        }
    }

    /** Adds a detached port's worker and port counters to its carried totals. */
    private void carry(final SupervisedPort port, final int index, final Port old) {
        final WorkerCounters counters = dataplane.worker().counters();
        port.carriedRxPackets += counters.portRxPackets(index);
        port.carriedRxBytes += counters.portRxBytes(index);
        port.carriedTxPackets += counters.portTxPackets(index);
        port.carriedTxBytes += counters.portTxBytes(index);
        port.carriedDrops += counters.portDrops(index);
        final PortCounters own = SupervisedPort.countersOf(old);
        if (own != null) {
            port.carriedPortDrops += own.totalDrops();
            for (final DropReason reason : DropReason.values()) {
                port.carriedPortDropsByReason[reason.ordinal()] += own.drops(reason);
            }
        }
    }

    /** The probe of a kernel namespace, opened (again) if needed; null while the namespace is gone. */
    private KernelLinkProbe probeFor(final KernelNamespace namespace, final long now) {
        final String key = namespace.isCurrent() ? "" : String.valueOf(namespace.path());
        KernelLinkProbe probe = probes.get(key);
        if (probe != null && !probe.sameNamespace()) {
            probe.close(); // let the kernel free the namespace: nothing of ours may pin it
            probes.remove(key);
            probe = null;
        }
        if (probe == null) {
            final Long next = nextProbeAttempt.get(key);
            if ((next != null && now - next < 0) || !KernelLinkProbe.namespaceExists(namespace)) {
                return null;
            }
            try {
                probe = KernelLinkProbe.open(namespace);
                probes.put(key, probe);
            } catch (final NativeException e) {
                nextProbeAttempt.put(key, now + RETRY_NANOS);
                return null;
            }
        }
        return probe;
    }

    /** Ports are closed by the worker; the supervisor closes only its probes. */
    @Override
    public void close() {
        for (final KernelLinkProbe probe : probes.values()) {
            probe.close();
        }
        probes.clear();
    }
}

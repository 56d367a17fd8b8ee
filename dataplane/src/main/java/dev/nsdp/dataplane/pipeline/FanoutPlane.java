package dev.nsdp.dataplane.pipeline;

import dev.nsdp.dataplane.namespace.ForwardingPlane;
import dev.nsdp.dataplane.namespace.Level;
import dev.nsdp.dataplane.namespace.NamespaceSettings;
import dev.nsdp.dataplane.port.InertPort;
import dev.nsdp.dataplane.port.Port;
import dev.nsdp.dataplane.port.PortGroup;
import java.util.List;

/**
 * The forwarding plane of several workers: every change the namespace model makes goes to every
 * worker, in the same order, through each worker's own queue (one writer per worker's state still).
 * A port is handed out per worker: member {@code k} of a {@link PortGroup} to worker {@code k}; a
 * plain port (a TAP, a memory link) can be driven by one thread only, so worker 0 gets it and the
 * other workers see an {@link InertPort}, a port whose link is down: frames they switch to it are dropped and
 * counted (PORT_DOWN). Links meant for several workers are opened as groups.
 */
public final class FanoutPlane implements ForwardingPlane {
    private final List<WorkerProxy> workers;

    public FanoutPlane(final List<WorkerProxy> workers) {
        if (workers.isEmpty()) {
            throw new IllegalArgumentException("a fan-out plane needs at least one worker");
        }
        this.workers = List.copyOf(workers);
    }

    /** The port worker {@code k} drives for {@code port}. */
    static Port portFor(final Port port, final int k) {
        if (port instanceof PortGroup group) {
            if (group.members() <= k) {
                return new InertPort(port.name());
            }
            return group.member(k);
        }
        return k == 0 ? port : new InertPort(port.name());
    }

    @Override
    public void namespaceCreated(final int namespaceId, final Level level, final NamespaceSettings settings) {
        workers.forEach(w -> w.namespaceCreated(namespaceId, level, settings));
    }

    @Override
    public void namespaceDeleted(final int namespaceId) {
        workers.forEach(w -> w.namespaceDeleted(namespaceId));
    }

    @Override
    public void settingsChanged(final int namespaceId, final NamespaceSettings settings) {
        workers.forEach(w -> w.settingsChanged(namespaceId, settings));
    }

    @Override
    public void portAttached(final int portIndex, final Port port, final int namespaceId, final boolean adminUp) {
        for (int k = 0; k < workers.size(); k++) {
            workers.get(k).portAttached(portIndex, portFor(port, k), namespaceId, adminUp);
        }
    }

    @Override
    public void portDetached(final int portIndex) {
        workers.forEach(w -> w.portDetached(portIndex));
    }

    @Override
    public void portMoved(final int portIndex, final int namespaceId) {
        workers.forEach(w -> w.portMoved(portIndex, namespaceId));
    }

    @Override
    public void portAdminState(final int portIndex, final boolean up) {
        workers.forEach(w -> w.portAdminState(portIndex, up));
    }

    @Override
    public void vlanMapped(final int portIndex, final int vlanId, final int namespaceId) {
        workers.forEach(w -> w.vlanMapped(portIndex, vlanId, namespaceId));
    }

    @Override
    public void staticMacAdded(final int namespaceId, final long mac, final int portIndex) {
        workers.forEach(w -> w.staticMacAdded(namespaceId, mac, portIndex));
    }

    @Override
    public void staticMacRemoved(final int namespaceId, final long mac) {
        workers.forEach(w -> w.staticMacRemoved(namespaceId, mac));
    }
}

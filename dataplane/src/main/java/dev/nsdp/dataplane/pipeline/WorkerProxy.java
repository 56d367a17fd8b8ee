package dev.nsdp.dataplane.pipeline;

import dev.nsdp.dataplane.namespace.ForwardingPlane;
import dev.nsdp.dataplane.namespace.Level;
import dev.nsdp.dataplane.namespace.NamespaceSettings;
import dev.nsdp.dataplane.port.Port;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * The control side's handle on a {@link Worker} (Aeron's *Proxy): each call becomes a
 * {@link WorkerCommand} on the worker's lock-free queue, applied between bursts on the worker's
 * thread. Forwarding never waits for the control plane; the control plane waits only when the
 * queue is full, and {@link #sync} when it needs to know a change has taken effect.
 */
public final class WorkerProxy implements ForwardingPlane {
    private final Worker worker;
    private final IdleStrategy offerIdle = new BackoffIdleStrategy();

    public WorkerProxy(final Worker worker) {
        this.worker = worker;
    }

    public Worker worker() {
        return worker;
    }

    private void send(final WorkerCommand command) {
        offerIdle.reset();
        while (!worker.offer(command)) {
            offerIdle.idle();
        }
    }

    /** Waits until the worker has applied every command sent before this call. */
    public void sync(final long timeout, final TimeUnit unit) throws TimeoutException, InterruptedException {
        final CountDownLatch applied = new CountDownLatch(1);
        send(w -> applied.countDown());
        if (!applied.await(timeout, unit)) {
            throw new TimeoutException("worker '" + worker.name() + "' did not apply its commands within "
                + unit.toMillis(timeout) + " ms: is it running?");
        }
    }

    @Override
    public void namespaceCreated(final int namespaceId, final Level level, final NamespaceSettings settings) {
        send(w -> w.onNamespaceCreated(namespaceId, level, settings));
    }

    @Override
    public void namespaceDeleted(final int namespaceId) {
        send(w -> w.onNamespaceDeleted(namespaceId));
    }

    @Override
    public void settingsChanged(final int namespaceId, final NamespaceSettings settings) {
        send(w -> w.onSettingsChanged(namespaceId, settings));
    }

    @Override
    public void portAttached(final int portIndex, final Port port, final int namespaceId, final boolean adminUp) {
        send(w -> w.onPortAttached(portIndex, port, namespaceId, adminUp));
    }

    @Override
    public void portDetached(final int portIndex) {
        send(w -> w.onPortDetached(portIndex));
    }

    @Override
    public void portMoved(final int portIndex, final int namespaceId) {
        send(w -> w.onPortMoved(portIndex, namespaceId));
    }

    @Override
    public void portAdminState(final int portIndex, final boolean up) {
        send(w -> w.onPortAdminState(portIndex, up));
    }

    @Override
    public void vlanMapped(final int portIndex, final int vlanId, final int namespaceId) {
        send(w -> w.onVlanMapped(portIndex, vlanId, namespaceId));
    }

    @Override
    public void staticMacAdded(final int namespaceId, final long mac, final int portIndex) {
        send(w -> w.onStaticMacAdded(namespaceId, mac, portIndex));
    }

    @Override
    public void staticMacRemoved(final int namespaceId, final long mac) {
        send(w -> w.onStaticMacRemoved(namespaceId, mac));
    }
}

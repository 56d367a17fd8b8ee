package dev.nsdp.control.api;

import dev.nsdp.control.model.ControlException;
import dev.nsdp.control.model.ErrorKind;
import dev.nsdp.control.model.PortFactory;
import dev.nsdp.control.model.PortSpec;
import dev.nsdp.dataplane.nativ.Errno;
import dev.nsdp.dataplane.nativ.KernelNamespace;
import dev.nsdp.dataplane.nativ.LinkQuery;
import dev.nsdp.dataplane.nativ.NativeException;
import dev.nsdp.dataplane.port.PacketSocketGroup;
import dev.nsdp.dataplane.port.PacketSocketOptions;
import dev.nsdp.dataplane.port.PacketSocketPort;
import dev.nsdp.dataplane.port.Port;
import dev.nsdp.dataplane.port.TapPort;

/**
 * Opens real ports for the forwarding daemon: {@code afpacket} specs become AF_PACKET sockets
 * (TPACKET_V2 rings) on a kernel link, {@code tap} specs open or create a TAP device, each inside
 * the kernel network namespace the spec names (or the daemon's own); {@code memory} specs are
 * handed to a {@link MemoryPortFactory}, so a lab can mix both. A kernel refusal becomes a
 * PORT_UNAVAILABLE error that names the link, the kernel namespace and what to do.
 */
public final class KernelPortFactory implements PortFactory {
    private final Runnable beforeClose;
    private final MemoryPortFactory memory;
    private final PacketSocketOptions packetOptions;
    private final int workers;

    /** {@code beforeClose} runs before a released port is closed: waits until the worker has let go of it. */
    public KernelPortFactory(final Runnable beforeClose) {
        this(beforeClose, PacketSocketOptions.defaults(), 1);
    }

    /**
     * @param workers the dataplane's workers: with more than one, an AF_PACKET link is opened once per
     *                worker in a fanout group ({@link PacketSocketGroup}); a TAP is driven by worker 0
     */
    public KernelPortFactory(final Runnable beforeClose, final PacketSocketOptions packetOptions, final int workers) {
        this.beforeClose = beforeClose;
        this.memory = new MemoryPortFactory(beforeClose);
        this.packetOptions = packetOptions;
        this.workers = workers;
    }

    @Override
    public Port open(final PortSpec spec) {
        final KernelNamespace namespace = spec.kernelNamespace() == null
            ? KernelNamespace.current() : KernelNamespace.named(spec.kernelNamespace());
        try {
            return switch (spec.kind()) {
                case AFPACKET -> workers > 1
                    ? PacketSocketGroup.open(spec.link(), packetOptions.withNamespace(namespace), workers)
                    : PacketSocketPort.open(spec.link(), packetOptions.withNamespace(namespace));
                case TAP -> TapPort.open(spec.link(), namespace);
                case MEMORY -> memory.open(spec);
            };
        } catch (final NativeException e) {
            throw new ControlException(ErrorKind.PORT_UNAVAILABLE, explain(spec, namespace, e));
        }
    }

    @Override
    public void release(final Port port) {
        if (memory.owns(port)) {
            memory.release(port);
            return;
        }
        beforeClose.run();
        port.close();
    }

    /**
     * An AF_PACKET port is stale when its link's name now has another ifindex, or none, in its kernel
     * namespace: a socket stays bound to the ifindex it was opened on, so a link deleted and made
     * again carries nothing until the port is reopened. (A TAP this process holds open cannot
     * vanish under it.)
     */
    @Override
    public boolean isStale(final Port port, final PortSpec spec) {
        final PacketSocketPort socket = switch (port) {
            case PacketSocketPort p -> p;
            case PacketSocketGroup g -> g.member(0);
            default -> null;
        };
        if (socket == null) {
            return false;
        }
        try {
            final KernelNamespace namespace = spec.kernelNamespace() == null
                ? KernelNamespace.current() : KernelNamespace.named(spec.kernelNamespace());
            return namespace.call(() -> LinkQuery.index(spec.link())) != socket.ifindex();
        } catch (final NativeException e) {
            return true; // the namespace is gone
        }
    }

    /** The memory ports this factory opened, for a process that drives their other ends. */
    public MemoryPortFactory memoryPorts() {
        return memory;
    }

    static String explain(final PortSpec spec, final KernelNamespace namespace, final NativeException e) {
        final String where = "kernel network namespace '" + namespace.displayName() + "'";
        final String what = spec + ": " + e.operation() + " failed: " + e.errnoName() + " (" + Errno.description(e.errno()) + ")";
        final String hint = switch (e.errno()) {
            case Errno.ENODEV -> "link '" + spec.link() + "' not found in " + where + ": create it first ("
                + (namespace.isCurrent() ? "`nsdp link show`" : "`nsdp -n " + namespace.displayName() + " link show`")
                + " lists the links there)";
            case Errno.EPERM, Errno.EACCES -> "the daemon needs CAP_NET_ADMIN and CAP_NET_RAW: run it as root, or"
                + " inside `unshare -Urnm` for links of that namespace";
            default -> e.hint();
        };
        return what + (hint == null ? "" : ": " + hint);
    }
}

package dev.nsdp.dataplane.forwarder;

import dev.nsdp.dataplane.nativ.InterfaceRequest;
import dev.nsdp.dataplane.nativ.KernelNamespace;
import dev.nsdp.dataplane.nativ.LibC;
import dev.nsdp.dataplane.nativ.NativeException;
import dev.nsdp.dataplane.nativ.Sockets;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * The supervisor's view of the links of one kernel network namespace: which ifindex a link name
 * has now, and whether it is up and running. Asked through a datagram socket created inside that
 * namespace (link ioctls answer for the socket's namespace), from the control thread, never from
 * the worker.
 *
 * <p>A socket keeps its namespace alive: while nsdp holds one, `ip netns del` only unpins the
 * namespace, and its links live on. So the probe also notices when the namespace's pinning file
 * is gone or now names another namespace ({@link #sameNamespace()}), and the supervisor then closes
 * everything it holds there, the probe included, letting the kernel tear the namespace down.
 */
final class KernelLinkProbe implements AutoCloseable {
    private static final int UP_AND_RUNNING = InterfaceRequest.IFF_UP | InterfaceRequest.IFF_RUNNING;

    /** What a link looks like now: its ifindex (or -errno: -ENODEV when there is none) and whether it is up. */
    record LinkStatus(int ifindex, boolean up) {
        boolean exists() {
            return ifindex > 0;
        }
    }

    private final KernelNamespace namespace;
    /** The pinning file's identity (device and inode of the nsfs file) when opened; null for our own namespace. */
    private final Object identity;
    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment ifreq;
    private boolean closed;

    private KernelLinkProbe(final KernelNamespace namespace, final Object identity, final int fd) {
        this.namespace = namespace;
        this.identity = identity;
        this.fd = fd;
        this.ifreq = InterfaceRequest.allocate(arena);
    }

    /** Opens a probe in {@code namespace}; throws NativeException if the namespace cannot be entered. */
    static KernelLinkProbe open(final KernelNamespace namespace) {
        final Object identity = namespace.isCurrent() ? null : identityOf(namespace);
        final int fd = namespace.call(() -> Sockets.socket(Sockets.AF_INET, Sockets.SOCK_DGRAM | Sockets.SOCK_CLOEXEC, 0));
        NativeException.check(fd, "socket(AF_INET, SOCK_DGRAM) for link queries in kernel namespace '"
            + namespace.displayName() + "'");
        return new KernelLinkProbe(namespace, identity, fd);
    }

    KernelNamespace namespace() {
        return namespace;
    }

    /** False once the namespace's pinning file is gone or names a different namespace than when opened. */
    boolean sameNamespace() {
        return namespace.isCurrent() || Objects.equals(identity, identityOf(namespace));
    }

    /** Whether a namespace's pinning file exists now (a probe could be opened). */
    static boolean namespaceExists(final KernelNamespace namespace) {
        return namespace.isCurrent() || identityOf(namespace) != null;
    }

    LinkStatus status(final String link) {
        InterfaceRequest.setName(ifreq, link);
        final int r = LibC.ioctl(fd, InterfaceRequest.SIOCGIFINDEX, ifreq);
        if (r < 0) {
            return new LinkStatus(r, false);
        }
        final int index = InterfaceRequest.intValue(ifreq);
        InterfaceRequest.setName(ifreq, link);
        if (LibC.ioctl(fd, InterfaceRequest.SIOCGIFFLAGS, ifreq) < 0) {
            return new LinkStatus(index, false);
        }
        return new LinkStatus(index, (InterfaceRequest.flags(ifreq) & UP_AND_RUNNING) == UP_AND_RUNNING);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.close(fd);
            arena.close();
        }
    }

    private static Object identityOf(final KernelNamespace namespace) {
        try {
            return Files.readAttributes(namespace.path(), BasicFileAttributes.class).fileKey();
        } catch (final IOException e) {
            return null;
        }
    }
}

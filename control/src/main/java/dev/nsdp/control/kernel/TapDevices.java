package dev.nsdp.control.kernel;

import dev.nsdp.dataplane.nativ.Errno;
import dev.nsdp.dataplane.nativ.InterfaceRequest;
import dev.nsdp.dataplane.nativ.KernelNamespace;
import dev.nsdp.dataplane.nativ.LibC;
import dev.nsdp.dataplane.nativ.Tun;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Persistent TAP and TUN devices ({@code ip tuntap add dev NAME mode tap}): made through the
 * /dev/net/tun clone device with TUNSETIFF and then TUNSETPERSIST, so they outlive the descriptor
 * that made them and wait for a port (nsdp's TAP port, a VM) to attach. Made in a namespace by
 * opening the clone device on a thread inside it.
 */
public final class TapDevices {
    /** TAP carries Ethernet frames, TUN bare IP packets. */
    public enum Mode {
        TAP, TUN
    }

    private TapDevices() {
    }

    /**
     * Creates a persistent device {@code name} in {@code namespace}.
     *
     * @param multiQueue IFF_MULTI_QUEUE: ports may attach several queues
     */
    public static void add(final KernelNamespace namespace, final String name, final Mode mode,
                           final boolean multiQueue) {
        LinkNames.check(name);
        final String where = namespace.isCurrent() ? "" : " in namespace '" + namespace.displayName() + "'";
        final String operation = "add " + mode.name().toLowerCase(java.util.Locale.ROOT) + " '" + name + "'" + where;
        // TUNSETIFF on an existing persistent tap attaches to it instead of failing: refuse first.
        try (RtNetlink rtnl = RtNetlink.open(namespace)) {
            if (rtnl.findLink(name).isPresent()) {
                throw new KernelException(operation, Errno.EEXIST, null, "link '" + name + "' already exists" + where
                    + ": pick another name or delete it (`nsdp " + (namespace.isCurrent() ? "" : "-n "
                    + namespace.displayName() + " ") + "link del dev " + name + "`)");
            }
        }
        namespace.call(() -> {
            final int fd = LibC.open(Tun.CLONE_DEVICE, LibC.O_RDWR | LibC.O_CLOEXEC);
            if (fd < 0) {
                throw new KernelException(operation + ": open " + Tun.CLONE_DEVICE, -fd, null,
                    -fd == Errno.ENOENT ? "the tun module is not loaded (modprobe tun)" : rootHint(-fd));
            }
            try (Arena arena = Arena.ofConfined()) {
                final MemorySegment ifreq = InterfaceRequest.forLink(arena, name);
                InterfaceRequest.setFlags(ifreq, (mode == Mode.TAP ? Tun.IFF_TAP : Tun.IFF_TUN) | Tun.IFF_NO_PI
                    | (multiQueue ? Tun.IFF_MULTI_QUEUE : 0));
                int r = LibC.ioctl(fd, Tun.TUNSETIFF, ifreq);
                if (r < 0) {
                    throw new KernelException(operation + ": TUNSETIFF", -r, null, rootHint(-r));
                }
                r = LibC.ioctl(fd, Tun.TUNSETPERSIST, MemorySegment.ofAddress(1));
                if (r < 0) {
                    throw new KernelException(operation + ": TUNSETPERSIST", -r, null, rootHint(-r));
                }
            } finally {
                LibC.close(fd);
            }
            return null;
        });
    }

    /** Deletes tun/tap device {@code name}; refuses a link of another kind. */
    public static void delete(final KernelNamespace namespace, final String name) {
        try (RtNetlink rtnl = RtNetlink.open(namespace)) {
            final Link link = rtnl.link(name);
            if (!"tun".equals(link.kind())) {
                throw new IllegalArgumentException("link '" + name + "' is not a tun/tap device (it is "
                    + (link.kind() == null ? "a device without a kind" : "a " + link.kind()) + "): use `nsdp link del`");
            }
            rtnl.deleteLink(name);
        }
    }

    private static String rootHint(final int errno) {
        return errno == Errno.EPERM || errno == Errno.EACCES ? "CAP_NET_ADMIN is needed: run as root" : null;
    }
}

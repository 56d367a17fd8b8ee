package dev.nsdp.dataplane.nativ;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Questions about a link by name in the calling thread's network namespace (an ioctl on a
 * throwaway datagram socket): unlike /sys/class/net, these answer for the namespace the thread is
 * in, so a task run by {@link KernelNamespace#call} sees that namespace's links. Control-path only.
 */
public final class LinkQuery {
    private LinkQuery() {
    }

    /** The MTU of {@code linkName}, or -1 if there is no such link here. */
    public static int mtu(final String linkName) {
        return ask(linkName, InterfaceRequest.SIOCGIFMTU, "SIOCGIFMTU");
    }

    /** The ifindex {@code linkName} has now, or -1 if there is no such link here. */
    public static int index(final String linkName) {
        return ask(linkName, InterfaceRequest.SIOCGIFINDEX, "SIOCGIFINDEX");
    }

    private static int ask(final String linkName, final long request, final String requestName) {
        final int fd = Sockets.socket(Sockets.AF_INET, Sockets.SOCK_DGRAM | Sockets.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new NativeException("socket(AF_INET, SOCK_DGRAM)", -fd);
        }
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment ifreq = InterfaceRequest.forLink(arena, linkName);
            final int r = LibC.ioctl(fd, request, ifreq);
            if (r == -Errno.ENODEV) {
                return -1;
            }
            if (r < 0) {
                throw new NativeException("ioctl(" + requestName + ") on link '" + linkName + "'", -r);
            }
            return InterfaceRequest.intValue(ifreq);
        } finally {
            LibC.close(fd);
        }
    }
}

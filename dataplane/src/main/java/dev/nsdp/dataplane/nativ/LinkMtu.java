package dev.nsdp.dataplane.nativ;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A link's MTU by name in the calling thread's network namespace (SIOCGIFMTU on a throwaway
 * datagram socket): unlike /sys/class/net, this answers for the namespace the thread is in, so a
 * task run by {@link KernelNamespace#call} sees that namespace's links.
 */
public final class LinkMtu {
    private LinkMtu() {
    }

    /** The MTU of {@code linkName}, or -1 if there is no such link here. */
    public static int of(final String linkName) {
        final int fd = Sockets.socket(Sockets.AF_INET, Sockets.SOCK_DGRAM | Sockets.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new NativeException("socket(AF_INET, SOCK_DGRAM)", -fd);
        }
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment ifreq = InterfaceRequest.forLink(arena, linkName);
            final int r = LibC.ioctl(fd, InterfaceRequest.SIOCGIFMTU, ifreq);
            if (r == -Errno.ENODEV) {
                return -1;
            }
            if (r < 0) {
                throw new NativeException("ioctl(SIOCGIFMTU) on link '" + linkName + "'", -r);
            }
            return InterfaceRequest.intValue(ifreq);
        } finally {
            LibC.close(fd);
        }
    }
}

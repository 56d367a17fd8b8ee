package dev.nsdp.dataplane.port;

import dev.nsdp.dataplane.nativ.HotCalls;
import dev.nsdp.dataplane.nativ.InterfaceRequest;
import dev.nsdp.dataplane.nativ.LibC;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Asks the kernel whether a port's link is operationally up: SIOCGIFNAME (by ifindex, so a renamed
 * link is still found and a deleted one is not mistaken for a new one of the same name), then
 * SIOCGIFFLAGS, both through a socket in the link's namespace. Up means IFF_UP (administratively)
 * and IFF_RUNNING (carrier: a veth whose peer is down is not running). Two ioctls, no allocation;
 * the port decides how often to ask.
 */
final class LinkMonitor {
    static final int UP = 1;
    static final int DOWN = 0;
    /** The link no longer exists in the namespace (deleted, or moved to another namespace). */
    static final int GONE = -1;

    private static final int UP_AND_RUNNING = InterfaceRequest.IFF_UP | InterfaceRequest.IFF_RUNNING;

    private final int socketFd;
    private final int ifindex;
    private final MemorySegment ifreq;

    LinkMonitor(final int socketFd, final int ifindex, final Arena arena) {
        this.socketFd = socketFd;
        this.ifindex = ifindex;
        this.ifreq = InterfaceRequest.allocate(arena);
    }

    int query() {
        InterfaceRequest.setIntValue(ifreq, ifindex);
        // Only success matters here: the errno-free binding allocates nothing however the JIT inlines it.
        if (HotCalls.ioctl(socketFd, InterfaceRequest.SIOCGIFNAME, ifreq) < 0) {
            return GONE;
        }
        if (HotCalls.ioctl(socketFd, InterfaceRequest.SIOCGIFFLAGS, ifreq) < 0) {
            return GONE;
        }
        return (InterfaceRequest.flags(ifreq) & UP_AND_RUNNING) == UP_AND_RUNNING ? UP : DOWN;
    }

    /** Looks a link up by name through {@code socketFd}: its ifindex, or -errno (-ENODEV: no such link). */
    static int indexOf(final int socketFd, final String linkName, final Arena arena) {
        final MemorySegment request = InterfaceRequest.forLink(arena, linkName);
        final int r = LibC.ioctl(socketFd, InterfaceRequest.SIOCGIFINDEX, request);
        return r < 0 ? r : InterfaceRequest.intValue(request);
    }
}

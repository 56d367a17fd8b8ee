package dev.nsdp.dataplane.nativ;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;

/**
 * AF_NETLINK sockets (netlink(7)): the address family, struct sockaddr_nl, the SOL_NETLINK options,
 * and opening a bound socket. Sending and receiving use {@link Sockets#sendto} and
 * {@link Sockets#recvfrom}; the message formats live with their users (the control module's
 * rtnetlink client). Same convention as {@link LibC}: the result, or {@code -errno}.
 *
 * <p>A netlink socket talks to the kernel of the network namespace it was CREATED in, for its whole
 * life: open it inside {@link KernelNamespace#call} to configure another namespace.
 */
public final class NetlinkSockets {
    public static final int AF_NETLINK = 16;
    /** Routing and link configuration: links, addresses, routes, neighbours, namespace ids. */
    public static final int NETLINK_ROUTE = 0;

    public static final int SOL_NETLINK = 270;
    /** Error acks carry only the failed request's header, not its whole body. */
    public static final int NETLINK_CAP_ACK = 10;
    /** Error acks carry the kernel's own message and the offending attribute's offset. */
    public static final int NETLINK_EXT_ACK = 11;

    /** Root may raise the buffers beyond net.core.[rw]mem_max with these. */
    public static final int SO_SNDBUFFORCE = 32;
    public static final int SO_RCVBUFFORCE = 33;

    /** recv(2) flag: return the real length of a datagram even when it did not fit. */
    public static final int MSG_TRUNC = 0x20;

    /** struct sockaddr_nl (linux/netlink.h): 12 bytes. */
    public static final StructLayout SOCKADDR_NL = MemoryLayout.structLayout(
        JAVA_SHORT.withName("nl_family"),
        JAVA_SHORT.withName("nl_pad"),
        JAVA_INT.withName("nl_pid"),
        JAVA_INT.withName("nl_groups"));

    private static final long NL_PID_OFFSET = SOCKADDR_NL.byteOffset(MemoryLayout.PathElement.groupElement("nl_pid"));

    private static final MethodHandle GETSOCKNAME = Downcalls.capturingErrno("getsockname",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));

    private NetlinkSockets() {
    }

    /**
     * A netlink socket of {@code protocol}, close-on-exec, bound with port id 0 (the kernel picks a
     * unique one): the descriptor, or -errno. The socket lives in the calling thread's network namespace.
     */
    public static int open(final int protocol) {
        final int fd = Sockets.socket(AF_NETLINK, Sockets.SOCK_RAW | Sockets.SOCK_CLOEXEC, protocol);
        if (fd < 0) {
            return fd;
        }
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment address = arena.allocate(SOCKADDR_NL);
            address.set(JAVA_SHORT, 0, (short) AF_NETLINK);
            final int r = Sockets.bind(fd, address);
            if (r < 0) {
                LibC.close(fd);
                return r;
            }
        }
        return fd;
    }

    /** The port id the kernel gave the bound socket {@code fd} (nl_pid of getsockname: unsigned 32 bits), or -errno. */
    public static long portId(final int fd) {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment address = arena.allocate(SOCKADDR_NL);
            final MemorySegment length = arena.allocateFrom(JAVA_INT, (int) SOCKADDR_NL.byteSize());
            final MemorySegment state = Downcalls.state();
            final int r = (int) GETSOCKNAME.invokeExact(state, fd, address, length);
            return r < 0 ? -Downcalls.errno(state) : Integer.toUnsignedLong(address.get(JAVA_INT, NL_PID_OFFSET));
        } catch (final Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }
}

package dev.nsdp.dataplane.nativ;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The socket calls: socket, bind, setsockopt, getsockopt, sendto, recvfrom, if_nametoindex, and the
 * generic socket constants. AF_PACKET's own constants and structs are in {@link PacketSockets}.
 * Same convention as {@link LibC}: the result, or {@code -errno}; nothing throws.
 */
public final class Sockets {
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_PACKET = 17;

    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;

    public static final int SOL_SOCKET = 1;
    public static final int SO_ERROR = 4;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;

    public static final int MSG_DONTWAIT = 0x40;

    private static final MethodHandle SOCKET = Downcalls.capturingErrno("socket",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = Downcalls.capturingErrno("bind",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = Downcalls.capturingErrno("setsockopt",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = Downcalls.capturingErrno("getsockopt",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SENDTO = Downcalls.capturingErrno("sendto",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVFROM = Downcalls.capturingErrno("recvfrom",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle IF_NAMETOINDEX = Downcalls.capturingErrno("if_nametoindex",
        FunctionDescriptor.of(JAVA_INT, ADDRESS));

    private Sockets() {
    }

    /** socket(2): a descriptor or -errno. {@code protocol} is in network byte order for AF_PACKET. */
    public static int socket(final int domain, final int type, final int protocol) {
        try {
            final MemorySegment state = Downcalls.state();
            final int r = (int) SOCKET.invokeExact(state, domain, type, protocol);
            return r < 0 ? -Downcalls.errno(state) : r;
        } catch (final Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }

    /** bind(2) to the address in {@code address} (its whole size is passed as the length). */
    public static int bind(final int fd, final MemorySegment address) {
        try {
            final MemorySegment state = Downcalls.state();
            final int r = (int) BIND.invokeExact(state, fd, address, (int) address.byteSize());
            return r < 0 ? -Downcalls.errno(state) : r;
        } catch (final Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }

    /** setsockopt(2) with the whole of {@code value} as the option value. */
    public static int setsockopt(final int fd, final int level, final int option, final MemorySegment value) {
        try {
            final MemorySegment state = Downcalls.state();
            final int r = (int) SETSOCKOPT.invokeExact(state, fd, level, option, value, (int) value.byteSize());
            return r < 0 ? -Downcalls.errno(state) : r;
        } catch (final Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }

    /** setsockopt(2) of an int option (control path: allocates 4 bytes). */
    public static int setIntOption(final int fd, final int level, final int option, final int value) {
        try (Arena arena = Arena.ofConfined()) {
            return setsockopt(fd, level, option, arena.allocateFrom(JAVA_INT, value));
        }
    }

    /**
     * getsockopt(2) into {@code value}; {@code length} holds value's size on entry and the size the
     * kernel wrote on return (a socklen_t, 4 bytes).
     */
    public static int getsockopt(final int fd, final int level, final int option, final MemorySegment value,
                                 final MemorySegment length) {
        try {
            final MemorySegment state = Downcalls.state();
            final int r = (int) GETSOCKOPT.invokeExact(state, fd, level, option, value, length);
            return r < 0 ? -Downcalls.errno(state) : r;
        } catch (final Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }

    /**
     * getsockopt(2) of an int option (control path: allocates 8 bytes): the value (as an unsigned
     * 32-bit number) or -errno.
     */
    public static long getIntOption(final int fd, final int level, final int option) {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment value = arena.allocate(JAVA_INT);
            final MemorySegment length = arena.allocateFrom(JAVA_INT, 4);
            final int r = getsockopt(fd, level, option, value, length);
            return r < 0 ? r : value.get(JAVA_INT, 0) & 0xFFFF_FFFFL;
        }
    }

    /** sendto(2): bytes sent or -errno. {@code buffer} and {@code address} may be {@link MemorySegment#NULL}. */
    public static long sendto(final int fd, final MemorySegment buffer, final long length, final int flags,
                              final MemorySegment address, final int addressLength) {
        try {
            final MemorySegment state = Downcalls.state();
            final long r = (long) SENDTO.invokeExact(state, fd, buffer, length, flags, address, addressLength);
            return r < 0 ? -Downcalls.errno(state) : r;
        } catch (final Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }

    /** recvfrom(2): bytes received or -errno. {@code address}/{@code addressLength} may be NULL. */
    public static long recvfrom(final int fd, final MemorySegment buffer, final int flags,
                                final MemorySegment address, final MemorySegment addressLength) {
        try {
            final MemorySegment state = Downcalls.state();
            final long r = (long) RECVFROM.invokeExact(state, fd, buffer, buffer.byteSize(), flags, address,
                addressLength);
            return r < 0 ? -Downcalls.errno(state) : r;
        } catch (final Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }

    /**
     * if_nametoindex(3): the link's index in the CALLING THREAD's network namespace, or -errno
     * (-ENODEV when there is no such link). To look up a link in another namespace, call it inside
     * {@link KernelNamespace#call}.
     */
    public static int ifNameToIndex(final String linkName) {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment name = arena.allocateFrom(linkName);
            final MemorySegment state = Downcalls.state();
            final int r = (int) IF_NAMETOINDEX.invokeExact(state, name);
            return r == 0 ? -Downcalls.errno(state) : r;
        } catch (final Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }

    /** htons: a 16-bit value in network byte order, as the kernel reads it from a little-endian int. */
    public static int htons(final int value) {
        return Short.toUnsignedInt(Short.reverseBytes((short) value));
    }
}

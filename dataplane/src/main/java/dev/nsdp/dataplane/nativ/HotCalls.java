package dev.nsdp.dataplane.nativ;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Calls a worker makes on every burst or poll round, bound WITHOUT errno: each returns its result, or -1 on
 * failure with the reason not kept. Why a second binding: capturing errno
 * ({@code Linker.Option.captureCallState}) makes the JDK slice its state segment on every call, an
 * allocation only the JIT's escape analysis removes, and only where it inlines the whole downcall
 * chain, which it does not always do in a large caller. Where only success matters (a link-state
 * query, a statistics read) or where the caller can ask again through the capturing binding in
 * {@link Sockets} / {@link LibC} when a call fails, these allocate nothing whatever the JIT decides.
 */
public final class HotCalls {
    private static final MethodHandle SENDTO = Downcalls.plain("sendto",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVFROM = Downcalls.plain("recvfrom",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle GETSOCKOPT = Downcalls.plain("getsockopt",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    @SuppressWarnings("restricted") // a downcall handle, like every binding in this package
    private static final MethodHandle IOCTL = Downcalls.LINKER.downcallHandle(
        Downcalls.LINKER.defaultLookup().find("ioctl").orElseThrow(),
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));

    private HotCalls() {
    }

    /** sendto(2) with no data and no address: a TX ring kick. Bytes sent, or -1. */
    public static long kick(final int fd, final int flags) {
        try {
            return (long) SENDTO.invokeExact(fd, MemorySegment.NULL, 0L, flags, MemorySegment.NULL, 0);
        } catch (final Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }

    /** recvfrom(2) into the whole of {@code buffer}: bytes received, or -1. */
    public static long recvfrom(final int fd, final MemorySegment buffer, final int flags) {
        try {
            return (long) RECVFROM.invokeExact(fd, buffer, buffer.byteSize(), flags, MemorySegment.NULL,
                MemorySegment.NULL);
        } catch (final Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }

    /** getsockopt(2), as {@link Sockets#getsockopt}: 0, or -1. */
    public static int getsockopt(final int fd, final int level, final int option, final MemorySegment value,
                                 final MemorySegment length) {
        try {
            return (int) GETSOCKOPT.invokeExact(fd, level, option, value, length);
        } catch (final Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }

    /** ioctl(2) with a pointer argument, as {@link LibC#ioctl}: the ioctl's result, or -1. */
    public static int ioctl(final int fd, final long request, final MemorySegment argument) {
        try {
            return (int) IOCTL.invokeExact(fd, request, argument);
        } catch (final Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }
}

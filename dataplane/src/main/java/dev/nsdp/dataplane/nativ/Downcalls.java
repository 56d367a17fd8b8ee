package dev.nsdp.dataplane.nativ;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * How the bindings reach libc: the native linker, libc's symbols, and errno. Every binding that
 * can fail is made with {@code captureCallState("errno")}, so errno is copied into a per-thread
 * state segment right after the call, before the JVM can run anything that would overwrite it.
 */
@SuppressWarnings("restricted") // making downcall handles is what this class is for (--enable-native-access)
final class Downcalls {
    static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /**
     * One state segment per thread, allocated on the thread's first call and freed with it. The
     * lookup costs a ThreadLocal read per call: cheap next to the syscall, and it keeps the
     * bindings' signatures free of plumbing.
     */
    private static final ThreadLocal<MemorySegment> STATE =
        ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CALL_STATE));

    private Downcalls() {
    }

    /** A handle to libc's {@code name} whose first parameter is the errno state segment. */
    static MethodHandle capturingErrno(final String name, final FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor, CAPTURE_ERRNO);
    }

    /** As {@link #capturingErrno} for a variadic C function (open, ioctl): the ABI passes those differently. */
    static MethodHandle capturingErrnoVariadic(final String name, final FunctionDescriptor descriptor,
                                               final int firstVariadicArgument) {
        return LINKER.downcallHandle(symbol(name), descriptor, CAPTURE_ERRNO,
            Linker.Option.firstVariadicArg(firstVariadicArgument));
    }

    /** A handle for a function that cannot fail (getpid). */
    static MethodHandle plain(final String name, final FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor);
    }

    /** The calling thread's errno state segment: pass it as the first argument of a capturing handle. */
    static MemorySegment state() {
        return STATE.get();
    }

    /** The errno the last capturing call on this thread left in {@code state}. */
    static int errno(final MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** invokeExact declares Throwable; a downcall itself never throws, so anything here is a bug. */
    static IllegalStateException unexpected(final Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call failed unexpectedly", t);
    }

    private static MemorySegment symbol(final String name) {
        return LIBC.find(name).orElseThrow(
            () -> new UnsatisfiedLinkError("libc has no symbol '" + name + "' (nsdp needs glibc 2.30+ on Linux)"));
    }
}

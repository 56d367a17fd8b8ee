package dev.nsdp.dataplane.nativ;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * mount(2), umount2(2) and flock(2): what pinning a named network namespace takes. iproute2 keeps a
 * namespace alive by bind-mounting its {@code /proc/.../ns/net} handle onto an empty file in
 * /run/netns, and makes /run/netns a shared mount so that the pins show in every mount namespace.
 * Same convention as {@link LibC}: 0 or {@code -errno}.
 */
public final class Mounts {
    public static final long MS_BIND = 0x1000;
    public static final long MS_REC = 0x4000;
    public static final long MS_PRIVATE = 1L << 18;
    public static final long MS_SLAVE = 1L << 19;
    public static final long MS_SHARED = 1L << 20;

    /** umount2: detach now, let the kernel finish when the last user is gone. */
    public static final int MNT_DETACH = 2;

    public static final int LOCK_EX = 2;
    public static final int LOCK_UN = 8;

    private static final MethodHandle MOUNT = Downcalls.capturingErrno("mount",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    private static final MethodHandle UMOUNT2 = Downcalls.capturingErrno("umount2",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle FLOCK = Downcalls.capturingErrno("flock",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

    private Mounts() {
    }

    /**
     * mount(2). {@code source} and {@code fileSystemType} may be null (a propagation change such as
     * {@code MS_SHARED} takes neither); no mount data is passed.
     */
    public static int mount(final String source, final String target, final String fileSystemType, final long flags) {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment cSource = source == null ? MemorySegment.NULL : arena.allocateFrom(source);
            final MemorySegment cTarget = arena.allocateFrom(target);
            final MemorySegment cType = fileSystemType == null ? MemorySegment.NULL : arena.allocateFrom(fileSystemType);
            final MemorySegment state = Downcalls.state();
            final int r = (int) MOUNT.invokeExact(state, cSource, cTarget, cType, flags, MemorySegment.NULL);
            return r < 0 ? -Downcalls.errno(state) : r;
        } catch (final Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }

    /** Bind-mounts {@code source} onto {@code target} (both must exist; a file onto a file). */
    public static int bind(final String source, final String target) {
        return mount(source, target, "none", MS_BIND);
    }

    /** umount2(2). */
    public static int umount2(final String target, final int flags) {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment cTarget = arena.allocateFrom(target);
            final MemorySegment state = Downcalls.state();
            final int r = (int) UMOUNT2.invokeExact(state, cTarget, flags);
            return r < 0 ? -Downcalls.errno(state) : r;
        } catch (final Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }

    /** flock(2) on an open descriptor: 0 or -errno. */
    public static int flock(final int fd, final int operation) {
        try {
            final MemorySegment state = Downcalls.state();
            final int r = (int) FLOCK.invokeExact(state, fd, operation);
            return r < 0 ? -Downcalls.errno(state) : r;
        } catch (final Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }
}

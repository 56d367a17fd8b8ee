package dev.nsdp.dataplane.nativ;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The Linux calls nsdp makes that are not socket calls: files, memory maps, poll, ioctl,
 * namespaces, threads. Each is a thin static wrapper over an FFM downcall handle.
 *
 * <p>Convention (the kernel's own): a call returns its result, or {@code -errno} on failure. No
 * wrapper throws, allocates on success, or retries, so the hot path can call them; set-up code wraps
 * them in {@link NativeException#check(int, String)}. The one exception is EINTR, which only
 * {@link #poll} retries (a signal to the JVM must not look like a timeout).
 *
 * <p>{@link #read(int, long, long)} and {@link #write(int, long, long)} take a raw address rather
 * than a {@link MemorySegment}: a TAP port calls them once per frame, and a slice object per frame
 * is what the hot path must not allocate. The caller guarantees the memory is live (pool buffers are:
 * the pool outlives its ports).
 */
public final class LibC {
    // open(2) flags
    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 2;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;

    // mmap(2)
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int MAP_SHARED = 1;
    public static final int MAP_LOCKED = 0x2000;
    public static final int MAP_POPULATE = 0x8000;

    // setns(2) / unshare(2)
    public static final int CLONE_NEWNET = 0x40000000;

    private static final MethodHandle OPEN = Downcalls.capturingErrnoVariadic("open",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), 2);
    private static final MethodHandle CLOSE = Downcalls.capturingErrno("close",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle READ = Downcalls.capturingErrno("read",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle WRITE = Downcalls.capturingErrno("write",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle IOCTL = Downcalls.capturingErrnoVariadic("ioctl",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), 2);
    private static final MethodHandle POLL = Downcalls.capturingErrno("poll",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle MMAP = Downcalls.capturingErrno("mmap",
        FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = Downcalls.capturingErrno("munmap",
        FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle SETNS = Downcalls.capturingErrno("setns",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle UNSHARE = Downcalls.capturingErrno("unshare",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle SCHED_SETAFFINITY = Downcalls.capturingErrno("sched_setaffinity",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
    private static final MethodHandle GETPID = Downcalls.plain("getpid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle GETTID = Downcalls.plain("gettid", FunctionDescriptor.of(JAVA_INT));

    /** mmap's MAP_FAILED, ((void *) -1). */
    private static final long MAP_FAILED = -1L;
    /** cpu_set_t is 1024 bits in glibc. */
    private static final int CPU_SET_BYTES = 128;

    private LibC() {
    }

    /** open(2): a file descriptor or -errno. {@code mode} applies only with O_CREAT, which nsdp never uses. */
    public static int open(final String path, final int flags) {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment cPath = arena.allocateFrom(path);
            final MemorySegment state = Downcalls.state();
            final int fd = (int) OPEN.invokeExact(state, cPath, flags, 0);
            return fd < 0 ? -Downcalls.errno(state) : fd;
        } catch (final Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }

    /** close(2): 0 or -errno. The descriptor is released even when this reports an error (Linux semantics). */
    public static int close(final int fd) {
        try {
            final MemorySegment state = Downcalls.state();
            final int r = (int) CLOSE.invokeExact(state, fd);
            return r < 0 ? -Downcalls.errno(state) : r;
        } catch (final Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }

    /** read(2) into {@code count} bytes at {@code address}: bytes read, 0 at end of file, or -errno. */
    public static long read(final int fd, final long address, final long count) {
        try {
            final MemorySegment state = Downcalls.state();
            final long r = (long) READ.invokeExact(state, fd, address, count);
            return r < 0 ? -Downcalls.errno(state) : r;
        } catch (final Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }

    /** read(2) into a segment (control path). */
    public static long read(final int fd, final MemorySegment into) {
        return read(fd, into.address(), into.byteSize());
    }

    /** write(2) of {@code count} bytes at {@code address}: bytes written or -errno. */
    public static long write(final int fd, final long address, final long count) {
        try {
            final MemorySegment state = Downcalls.state();
            final long r = (long) WRITE.invokeExact(state, fd, address, count);
            return r < 0 ? -Downcalls.errno(state) : r;
        } catch (final Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }

    /** write(2) of a segment (control path). */
    public static long write(final int fd, final MemorySegment from) {
        return write(fd, from.address(), from.byteSize());
    }

    /** ioctl(2) with a pointer argument (struct ifreq and friends): the ioctl's result or -errno. */
    public static int ioctl(final int fd, final long request, final MemorySegment argument) {
        try {
            final MemorySegment state = Downcalls.state();
            final int r = (int) IOCTL.invokeExact(state, fd, request, argument);
            return r < 0 ? -Downcalls.errno(state) : r;
        } catch (final Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }

    /**
     * poll(2) over {@code count} {@link PollFd} entries: how many have events (0 on timeout), or
     * -errno. Retries EINTR with the full timeout (bounded: it only lengthens one idle wait).
     */
    public static int poll(final MemorySegment pollFds, final int count, final int timeoutMillis) {
        try {
            final MemorySegment state = Downcalls.state();
            for (int attempt = 0; ; attempt++) {
                final int r = (int) POLL.invokeExact(state, pollFds, (long) count, timeoutMillis);
                if (r >= 0) {
                    return r;
                }
                final int errno = Downcalls.errno(state);
                if (errno != Errno.EINTR || attempt >= 3) {
                    return -errno;
                }
            }
        } catch (final Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }

    /** mmap(2): the mapping's address, or -errno. */
    public static long mmap(final long address, final long length, final int protection, final int flags,
                            final int fd, final long offset) {
        try {
            final MemorySegment state = Downcalls.state();
            final long r = (long) MMAP.invokeExact(state, address, length, protection, flags, fd, offset);
            return r == MAP_FAILED ? -Downcalls.errno(state) : r;
        } catch (final Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }

    /** munmap(2): 0 or -errno. */
    public static int munmap(final long address, final long length) {
        try {
            final MemorySegment state = Downcalls.state();
            final int r = (int) MUNMAP.invokeExact(state, address, length);
            return r < 0 ? -Downcalls.errno(state) : r;
        } catch (final Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }

    /**
     * setns(2): moves the CALLING THREAD into the namespace {@code fd} refers to. Network namespaces
     * are per thread in Linux; use {@link KernelNamespace}, which does this on a thread of its own.
     */
    public static int setns(final int fd, final int namespaceType) {
        try {
            final MemorySegment state = Downcalls.state();
            final int r = (int) SETNS.invokeExact(state, fd, namespaceType);
            return r < 0 ? -Downcalls.errno(state) : r;
        } catch (final Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }

    /** unshare(2): gives the CALLING THREAD new namespaces of the kinds in {@code flags}. 0 or -errno. */
    public static int unshare(final int flags) {
        try {
            final MemorySegment state = Downcalls.state();
            final int r = (int) UNSHARE.invokeExact(state, flags);
            return r < 0 ? -Downcalls.errno(state) : r;
        } catch (final Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }

    /**
     * Pins the calling thread to the given CPUs (sched_setaffinity(2) on thread id 0 = the caller).
     * 0 or -errno (EINVAL when none of the CPUs is online).
     */
    public static int pinCurrentThread(final int... cpus) {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment mask = arena.allocate(CPU_SET_BYTES);
            for (final int cpu : cpus) {
                if (cpu < 0 || cpu >= CPU_SET_BYTES * 8) {
                    return -Errno.EINVAL;
                }
                final long byteOffset = cpu / 8;
                mask.set(JAVA_BYTE, byteOffset, (byte) (mask.get(JAVA_BYTE, byteOffset) | (1 << (cpu % 8))));
            }
            final MemorySegment state = Downcalls.state();
            final int r = (int) SCHED_SETAFFINITY.invokeExact(state, 0, (long) CPU_SET_BYTES, mask);
            return r < 0 ? -Downcalls.errno(state) : r;
        } catch (final Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }

    public static int getpid() {
        try {
            return (int) GETPID.invokeExact();
        } catch (final Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }

    /** The calling thread's kernel task id (what /proc/self/task/TID names). */
    public static int gettid() {
        try {
            return (int) GETTID.invokeExact();
        } catch (final Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }
}

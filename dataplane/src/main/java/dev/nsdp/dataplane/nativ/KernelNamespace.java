package dev.nsdp.dataplane.nativ;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;

/**
 * A kernel network namespace, named by the file that pins it: {@code /run/netns/NAME} (what
 * {@code ip netns add} creates) or {@code /proc/PID/ns/net}. Not to be confused with nsdp's own
 * forwarding namespaces.
 *
 * <p>{@link #call} runs a task on a FRESH platform thread inside the namespace. Linux keeps the
 * network namespace per thread, and a socket stays in the namespace it was created in for its
 * whole life; so a task that opens a socket or a TAP inside the namespace hands back a descriptor
 * that any thread can use, and one process serves links in many namespaces. The thread calls
 * setns(2) on itself, runs the task and ends, so no thread of the
 * caller's ever changes namespace.
 *
 * <p>Only the network namespace changes: a task that reads /sys/class/net still sees the caller's
 * mount namespace (unlike {@code ip netns exec}, which also remounts /sys). Threads the task starts
 * inherit the namespace; a task should not start any.
 */
public final class KernelNamespace {
    /** Where iproute2 pins named namespaces. */
    public static final Path NAMED_DIR = Path.of("/run/netns");

    private static final KernelNamespace CURRENT = new KernelNamespace(null, "of this process");

    private final Path path;
    private final String displayName;

    private KernelNamespace(final Path path, final String displayName) {
        this.path = path;
        this.displayName = displayName;
    }

    /** The namespace the caller is in: {@link #call} runs the task directly on the calling thread. */
    public static KernelNamespace current() {
        return CURRENT;
    }

    /** A namespace created by {@code ip netns add name}. */
    public static KernelNamespace named(final String name) {
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("'" + name + "' is not a namespace name (it must not contain '/')");
        }
        return new KernelNamespace(NAMED_DIR.resolve(name), name);
    }

    /** The network namespace process {@code pid} is in. */
    public static KernelNamespace ofPid(final long pid) {
        return new KernelNamespace(Path.of("/proc", Long.toString(pid), "ns", "net"), "of pid " + pid);
    }

    /** The namespace pinned at {@code path} (a /run/netns entry, a /proc/PID/ns/net file, or a bind mount of one). */
    public static KernelNamespace at(final Path path) {
        Objects.requireNonNull(path, "path");
        final Path parent = path.getParent();
        if (parent != null && parent.equals(NAMED_DIR)) {
            return named(path.getFileName().toString());
        }
        return new KernelNamespace(path, path.toString());
    }

    /** Runs {@code task} in the namespace at {@code nsPath}: shorthand for {@code at(nsPath).call(task)}. */
    public static <T> T call(final Path nsPath, final Callable<T> task) {
        return at(nsPath).call(task);
    }

    /** The pinning file, or null for {@link #current()}. */
    public Path path() {
        return path;
    }

    public boolean isCurrent() {
        return path == null;
    }

    /** For messages: {@code "red"}, {@code "of pid 42"}, a path, or {@code "of this process"}. */
    public String displayName() {
        return displayName;
    }

    /**
     * Runs {@code task} on a new platform thread that has entered this namespace, waits for it and
     * returns its result. Unchecked exceptions and errors from the task are rethrown as they are;
     * a checked one is wrapped in a {@link CompletionException}.
     *
     * @throws NativeException when the namespace does not exist or cannot be entered
     */
    public <T> T call(final Callable<T> task) {
        Objects.requireNonNull(task, "task");
        if (path == null) {
            return callHere(task);
        }
        final int fd = LibC.open(path.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
        if (fd < 0) {
            throw new NativeException("open kernel network namespace '" + displayName + "' (" + path + ")", -fd,
                openHint(-fd));
        }
        try {
            final Outcome<T> outcome = new Outcome<>();
            final Thread thread = Thread.ofPlatform()
                .name("nsdp-netns-" + displayName)
                .daemon(true)
                .unstarted(() -> outcome.runInNamespace(fd, task, this));
            thread.start();
            joinUninterruptibly(thread);
            return outcome.resultOrThrow();
        } finally {
            LibC.close(fd);
        }
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof KernelNamespace other && Objects.equals(path, other.path);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(path);
    }

    @Override
    public String toString() {
        return path == null ? "netns(current)" : "netns(" + path + ")";
    }

    private static <T> T callHere(final Callable<T> task) {
        try {
            return task.call();
        } catch (final RuntimeException e) {
            throw e;
        } catch (final Exception e) {
            throw new CompletionException(e);
        }
    }

    private String openHint(final int errno) {
        if (errno == Errno.ENOENT) {
            return path.startsWith(NAMED_DIR)
                ? "no such kernel network namespace: create it with `ip netns add " + displayName + "`"
                : "no such kernel network namespace (is the process gone?)";
        }
        if (errno == Errno.EACCES || errno == Errno.EPERM) {
            return "reading another namespace's handle needs privilege: run as root";
        }
        return null;
    }

    private static void joinUninterruptibly(final Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (final InterruptedException e) {
                // The namespace thread cannot be abandoned: it may be creating a descriptor we must own.
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the namespace thread produced; published to the caller by Thread.join. */
    private static final class Outcome<T> {
        private T result;
        private Throwable failure;

        void runInNamespace(final int fd, final Callable<T> task, final KernelNamespace namespace) {
            final int r = LibC.setns(fd, LibC.CLONE_NEWNET);
            if (r < 0) {
                final int errno = -r;
                failure = new NativeException(
                    "setns(CLONE_NEWNET) into kernel network namespace '" + namespace.displayName + "'", errno,
                    errno == Errno.EPERM
                        ? "CAP_SYS_ADMIN is needed to enter another network namespace: run as root"
                        : errno == Errno.EINVAL ? namespace.path + " is not a network namespace" : null);
                return;
            }
            try {
                result = task.call();
            } catch (final Throwable t) {
                failure = t;
            }
        }

        T resultOrThrow() {
            if (failure == null) {
                return result;
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            throw new CompletionException(failure);
        }
    }
}

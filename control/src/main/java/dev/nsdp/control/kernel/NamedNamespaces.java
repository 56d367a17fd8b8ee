package dev.nsdp.control.kernel;

import dev.nsdp.dataplane.nativ.Errno;
import dev.nsdp.dataplane.nativ.KernelNamespace;
import dev.nsdp.dataplane.nativ.LibC;
import dev.nsdp.dataplane.nativ.Mounts;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Named kernel network namespaces, made exactly as iproute2 makes them, so {@code ip netns list}
 * and {@code ip -n NAME ...} see nsdp's and nsdp sees ip's:
 * <ul>
 * <li>/run/netns exists and is a shared mount (bind-mounted onto itself first if it is not a mount
 *     point), so a pin made here shows in every mount namespace that has /run/netns;</li>
 * <li>a namespace NAME is an empty file /run/netns/NAME onto which a thread that has just
 *     unshare(CLONE_NEWNET)ed bind-mounts its own /proc/thread-self/ns/net: the mount keeps the
 *     namespace alive after the thread is gone;</li>
 * <li>deleting is umount2(MNT_DETACH) and unlink; the kernel dismantles the namespace (and its
 *     remaining links) once nothing else holds it.</li>
 * </ul>
 * No process is started per namespace: the pinning thread is a JVM thread that ends afterwards, so
 * no other code ever runs in the namespace it left.
 */
public final class NamedNamespaces {
    /** /run/netns. */
    public static final Path DIRECTORY = KernelNamespace.NAMED_DIR;
    private static final String THREAD_NAMESPACE = "/proc/thread-self/ns/net";
    private static final int NAME_MAX = 255;

    private static volatile boolean directoryReady;

    private NamedNamespaces() {
    }

    /** Throws IllegalArgumentException unless {@code name} can name a namespace (a file name in /run/netns). */
    public static String checkName(final String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a namespace name is missing");
        }
        if (name.contains("/") || name.equals(".") || name.equals("..") || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("'" + name + "' is not a valid namespace name: it must not contain '/'"
                + " and must not be '.' or '..'");
        }
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > NAME_MAX) {
            throw new IllegalArgumentException("namespace name '" + name.substring(0, 20) + "...' is longer than "
                + NAME_MAX + " bytes");
        }
        return name;
    }

    /** The names in /run/netns, sorted. */
    public static List<String> list() {
        final List<String> names = new ArrayList<>();
        if (!Files.isDirectory(DIRECTORY)) {
            return names;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(DIRECTORY)) {
            for (final Path entry : entries) {
                names.add(entry.getFileName().toString());
            }
        } catch (final IOException e) {
            throw new KernelException("list " + DIRECTORY, errnoOf(e), null, null);
        }
        Collections.sort(names);
        return names;
    }

    public static boolean exists(final String name) {
        return Files.exists(DIRECTORY.resolve(checkName(name)));
    }

    /** Creates namespace {@code name} ({@code ip netns add NAME}). */
    public static void add(final String name) {
        checkName(name);
        prepareDirectory();
        final Path file = DIRECTORY.resolve(name);
        createPinFile(file, name);
        final RuntimeException[] failure = new RuntimeException[1];
        joinAll(List.of(Thread.ofPlatform().name("nsdp-netns-pin").daemon(true)
            .start(() -> failure[0] = pin(file, name))));
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    /**
     * Creates many namespaces and waits for them: {@code startAddAll(names, threads).await()}.
     * Each name succeeds or fails on its own.
     */
    public static BulkResult addAll(final List<String> names, final int threads) {
        return startAddAll(names, threads).await();
    }

    /**
     * Starts creating many namespaces and returns at once; {@link PendingNamespaces#awaitPinned}
     * waits for one of them, so links can be put into the first namespaces while later ones are
     * still being made (the kernel builds a namespace mostly outside the rtnl lock that link
     * requests hold, so the two overlap on two cores).
     *
     * <p>The pin files are hard links of one empty file: the kernel only needs a directory entry
     * to mount on, and a new inode per namespace cost about a millisecond on a disk-backed /run
     * (ext4's inode allocator). Pinning runs on {@code threads} threads, each unsharing one
     * namespace after another.
     */
    public static PendingNamespaces startAddAll(final List<String> names, final int threads) {
        final PendingNamespaces pending = new PendingNamespaces(names);
        prepareDirectory();
        final List<Integer> toPin = new ArrayList<>(names.size());
        Path seed = null;
        for (int i = 0; i < names.size(); i++) {
            final String name = names.get(i);
            try {
                checkName(name);
                final Path file = DIRECTORY.resolve(name);
                if (seed == null) {
                    createPinFile(file, name);
                    seed = file;
                } else {
                    try {
                        Files.createLink(file, seed);
                    } catch (final IOException e) {
                        throw fileFailure("add namespace '" + name + "'", e, name);
                    }
                }
                toPin.add(i);
            } catch (final RuntimeException e) {
                pending.settle(i, e);
            }
        }
        final int threadCount = Math.max(1, Math.min(threads, toPin.size()));
        final List<Thread> workers = new ArrayList<>(threadCount);
        for (int t = 0; t < threadCount; t++) {
            final int first = t;
            workers.add(Thread.ofPlatform().name("nsdp-netns-pin").daemon(true).unstarted(() -> {
                for (int k = first; k < toPin.size(); k += threadCount) {
                    final int i = toPin.get(k);
                    pending.settle(i, pin(DIRECTORY.resolve(names.get(i)), names.get(i)));
                }
            }));
        }
        pending.start(workers);
        return pending;
    }

    /** Deletes namespace {@code name} ({@code ip netns del NAME}). */
    public static void delete(final String name) {
        checkName(name);
        final RuntimeException failure = unpin(DIRECTORY.resolve(name), name);
        if (failure != null) {
            throw failure;
        }
    }

    /** Deletes many namespaces on {@code threads} threads; each name succeeds or fails on its own. */
    public static BulkResult deleteAll(final List<String> names, final int threads) {
        final List<BulkResult.Failure> failures = Collections.synchronizedList(new ArrayList<>());
        final int threadCount = Math.max(1, Math.min(threads, names.size()));
        final List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threadCount; t++) {
            final int first = t;
            workers.add(Thread.ofPlatform().name("nsdp-netns-unpin").daemon(true).start(() -> {
                for (int i = first; i < names.size(); i += threadCount) {
                    try {
                        checkName(names.get(i));
                        final RuntimeException e = unpin(DIRECTORY.resolve(names.get(i)), names.get(i));
                        if (e != null) {
                            failures.add(new BulkResult.Failure(i, e));
                        }
                    } catch (final RuntimeException e) {
                        failures.add(new BulkResult.Failure(i, e));
                    }
                }
            }));
        }
        joinAll(workers);
        final List<BulkResult.Failure> sorted = new ArrayList<>(failures);
        sorted.sort((a, b) -> Integer.compare(a.index(), b.index()));
        return new BulkResult(names.size(), sorted);
    }

    /**
     * Makes /run/netns exist and be a shared mount, as iproute2 does (under an flock of the
     * directory, so two tools doing it at once do not stack two bind mounts). Once per process.
     */
    public static void prepareDirectory() {
        if (directoryReady) {
            return;
        }
        synchronized (NamedNamespaces.class) {
            if (directoryReady) {
                return;
            }
            try {
                Files.createDirectories(DIRECTORY);
            } catch (final IOException e) {
                throw new KernelException("create " + DIRECTORY, errnoOf(e), null, rootHint(errnoOf(e)));
            }
            final int fd = LibC.open(DIRECTORY.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
            if (fd < 0) {
                throw new KernelException("open " + DIRECTORY, -fd, null, null);
            }
            try {
                Mounts.flock(fd, Mounts.LOCK_EX);
                int r = Mounts.mount("", DIRECTORY.toString(), "none", Mounts.MS_SHARED | Mounts.MS_REC);
                if (r == -Errno.EINVAL) {
                    // Not a mount point yet: make it one (bound onto itself), then shared.
                    r = Mounts.mount(DIRECTORY.toString(), DIRECTORY.toString(), "none", Mounts.MS_BIND | Mounts.MS_REC);
                    if (r == 0) {
                        r = Mounts.mount("", DIRECTORY.toString(), "none", Mounts.MS_SHARED | Mounts.MS_REC);
                    }
                }
                if (r < 0) {
                    throw new KernelException("make " + DIRECTORY + " a shared mount", -r, null, rootHint(-r));
                }
            } finally {
                Mounts.flock(fd, Mounts.LOCK_UN);
                LibC.close(fd);
            }
            directoryReady = true;
        }
    }

    // ------------------------------------------------------------------------------------------

    private static void createPinFile(final Path file, final String name) {
        try {
            Files.createFile(file);
        } catch (final IOException e) {
            throw fileFailure("add namespace '" + name + "'", e, name);
        }
    }

    private static KernelException fileFailure(final String operation, final IOException e, final String name) {
        final int errno = errnoOf(e);
        return new KernelException(operation, errno, null, errno == Errno.EEXIST
            ? "namespace '" + name + "' already exists: pick another name or delete it (`nsdp netns del " + name + "`)"
            : rootHint(errno));
    }

    /**
     * Runs on a thread of nsdp's own that ends afterwards: a new namespace for this thread, then its
     * handle bind-mounted onto {@code file}. Returns null, or the failure (the file is then removed).
     */
    private static RuntimeException pin(final Path file, final String name) {
        final int unshared = LibC.unshare(LibC.CLONE_NEWNET);
        if (unshared < 0) {
            removeQuietly(file);
            return new KernelException("add namespace '" + name + "'", -unshared, null,
                -unshared == Errno.EPERM ? "CAP_SYS_ADMIN is needed to create a namespace: run as root" : null);
        }
        final int mounted = Mounts.bind(THREAD_NAMESPACE, file.toString());
        if (mounted < 0) {
            removeQuietly(file);
            return new KernelException("add namespace '" + name + "': bind-mount " + THREAD_NAMESPACE + " onto "
                + file, -mounted, null, rootHint(-mounted));
        }
        return null;
    }

    private static RuntimeException unpin(final Path file, final String name) {
        final int unmounted = Mounts.umount2(file.toString(), Mounts.MNT_DETACH);
        // EINVAL: nothing mounted there (a half-made namespace): removing the file is still right.
        if (unmounted < 0 && -unmounted != Errno.EINVAL && -unmounted != Errno.ENOENT) {
            return new KernelException("delete namespace '" + name + "': unmount " + file, -unmounted, null,
                rootHint(-unmounted));
        }
        try {
            Files.delete(file);
            return null;
        } catch (final IOException e) {
            final int errno = errnoOf(e);
            return new KernelException("delete namespace '" + name + "'", errno, null, errno == Errno.ENOENT
                ? "there is no namespace '" + name + "': `nsdp netns list` shows those that exist" : rootHint(errno));
        }
    }

    private static void removeQuietly(final Path file) {
        Mounts.umount2(file.toString(), Mounts.MNT_DETACH);
        try {
            Files.deleteIfExists(file);
        } catch (final IOException ignored) {
            // best effort: the failure that brought us here is what gets reported
        }
    }

    private static String rootHint(final int errno) {
        return errno == Errno.EPERM || errno == Errno.EACCES ? "this needs root (CAP_SYS_ADMIN)" : null;
    }

    private static int errnoOf(final IOException e) {
        if (e instanceof FileAlreadyExistsException) {
            return Errno.EEXIST;
        }
        if (e instanceof NoSuchFileException) {
            return Errno.ENOENT;
        }
        if (e instanceof AccessDeniedException) {
            return Errno.EACCES;
        }
        return Errno.EIO;
    }

    static void joinAll(final List<Thread> threads) {
        boolean interrupted = false;
        for (final Thread thread : threads) {
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (final InterruptedException e) {
                    // The pinning threads cannot be abandoned half-way: wait for them.
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.nsdp.control.kernel;

import dev.nsdp.dataplane.nativ.KernelNamespace;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * Runs a command inside a kernel network namespace ({@code nsdp netns exec NAME CMD ...}).
 *
 * <p>How: the JDK starts a child (posix_spawn, a vfork-style clone) from the thread that calls
 * {@link ProcessBuilder#start()}, and a clone copies the calling THREAD's namespaces. So the child
 * is started on a thread that has entered the namespace ({@link KernelNamespace#call}), and is in
 * that namespace from its first instruction; no helper process ({@code ip}, {@code nsenter}) is
 * involved. NetnsExecTest checks it against /proc/PID/ns/net.
 *
 * <p>Difference from {@code ip netns exec}: only the network namespace changes. ip also gives the
 * child a private mount namespace with /sys remounted (so /sys/class/net shows the namespace's
 * links) and bind-mounts /etc/netns/NAME/* over /etc. Tools that read links over netlink or
 * sockets ({@code ip}, ping, servers) behave the same; tools that read /sys/class/net see the
 * caller's links. A JVM cannot unshare its mount namespace (it has many threads), so nsdp does not
 * emulate that part; {@code nsenter --net=/run/netns/NAME --mount ...} or {@code ip netns exec}
 * remain there for such tools.
 */
public final class NetnsExec {
    private NetnsExec() {
    }

    /**
     * Starts {@code command} in {@code namespace} with the caller's standard input, output and error,
     * waits for it and returns its exit status (128 + signal when killed by a signal, as a shell says).
     */
    public static int run(final KernelNamespace namespace, final List<String> command) {
        final Process process = start(namespace, new ProcessBuilder(command).inheritIO());
        while (true) {
            try {
                return process.waitFor();
            } catch (final InterruptedException e) {
                process.destroy();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts {@code builder}'s command in {@code namespace} and returns the process. */
    public static Process start(final KernelNamespace namespace, final ProcessBuilder builder) {
        if (builder.command().isEmpty()) {
            throw new IllegalArgumentException("no command to run");
        }
        try {
            return namespace.call(builder::start);
        } catch (final CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw new IllegalArgumentException("cannot run '" + builder.command().get(0) + "' in namespace '"
                    + namespace.displayName() + "': " + io.getMessage(), io);
            }
            throw e;
        }
    }
}

package dev.nsdp.control.cli;

import dev.nsdp.control.api.ControlClient;
import dev.nsdp.control.kernel.NamedNamespaces;
import dev.nsdp.control.kernel.RtNetlink;
import dev.nsdp.dataplane.nativ.KernelNamespace;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;

/**
 * What a command runs with: the global options ({@code -n NS}, {@code -j}, {@code -p}, {@code -4},
 * {@code -6}, {@code -force}), the output streams, and the rtnetlink client of the selected
 * namespace, opened on first use and closed by {@link #close()}.
 */
final class CliContext implements AutoCloseable {
    final PrintStream out;
    final PrintStream err;
    String namespaceName;
    boolean json;
    boolean pretty;
    /** 0 (any), or IpPrefix.AF_INET / AF_INET6 from -4 / -6. */
    int family;
    boolean force;

    private RtNetlink rtnl;
    private ControlClient daemon;
    private DpSocket daemonSocket;

    CliContext(final PrintStream out, final PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** The namespace {@code -n} selected, or the caller's own. */
    KernelNamespace namespace() {
        return namespaceName == null ? KernelNamespace.current() : KernelNamespace.named(namespaceName);
    }

    /** The rtnetlink client of the selected namespace. */
    RtNetlink rtnl() {
        if (rtnl == null) {
            rtnl = namespaceName == null ? RtNetlink.open() : RtNetlink.openNamed(namespaceName);
        }
        return rtnl;
    }

    /**
     * A client of the nsdp daemon at {@code socket}, connected on first use and kept for the
     * following commands (a batch uses one connection). Throws {@link DaemonUnreachable} saying
     * which socket was tried and how to start the daemon.
     */
    ControlClient daemon(final DpSocket socket) {
        if (daemon != null && socket.path().equals(daemonSocket.path())) {
            return daemon;
        }
        closeDaemon();
        try {
            daemon = ControlClient.connect(socket.path());
        } catch (final IOException e) {
            final Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new DaemonUnreachable(socket.unreachable(NsdpCli.describe(cause)));
        }
        daemonSocket = socket;
        return daemon;
    }

    /** The daemon could not be reached (exit status 1). */
    static final class DaemonUnreachable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DaemonUnreachable(final String message) {
            super(message);
        }
    }

    private void closeDaemon() {
        if (daemon != null) {
            try {
                daemon.close();
            } catch (final IOException e) {
                // closing a connection whose replies were all read: nothing left to report
            }
            daemon = null;
            daemonSocket = null;
        }
    }

    /**
     * The namespace a {@code netns NS} argument names, as ip reads it: a name in /run/netns, else a
     * process id (the namespace of that process).
     */
    static KernelNamespace resolveNetns(final String text) {
        if (text.chars().allMatch(Character::isDigit) && !text.isEmpty()
            && !Files.exists(NamedNamespaces.DIRECTORY.resolve(text))) {
            return KernelNamespace.ofPid(Long.parseLong(text));
        }
        NamedNamespaces.checkName(text);
        return KernelNamespace.named(text);
    }

    /** "nsdp -n red " or "nsdp ": the prefix of a command to suggest. */
    String commandPrefix() {
        return "nsdp " + (namespaceName == null ? "" : "-n " + namespaceName + " ");
    }

    @Override
    public void close() {
        if (rtnl != null) {
            rtnl.close();
            rtnl = null;
        }
        closeDaemon();
    }
}

package dev.nsdp.control.api;

import dev.nsdp.dataplane.namespace.Caller;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Who is on the other end of a control connection, from what the kernel says rather than what the
 * client claims:
 * <ul>
 * <li>Unix socket: the peer's uid, gid and pid from SO_PEERCRED (taken when the client connected).
 *     The principal is the uid's user name (from /etc/passwd), or {@code uid-N} if it has none. The
 *     caller is an administrator if its uid is 0, or if the administrator group is its gid or one of
 *     its supplementary groups ({@code Groups:} of /proc/PID/status, read at connect time).</li>
 * <li>TCP on loopback: the uid owning the client's socket, found in /proc/net/tcp by the
 *     connection's two addresses (the peer must be in the server's network namespace, which
 *     loopback implies). Only uid 0 is an administrator over TCP: a socket has no groups.</li>
 * </ul>
 * The socket file's mode is the first gate (who may connect at all); this is the second, per request.
 */
final class PeerIdentity {
    private final int adminGid;
    private final Path etc;
    private final Path proc;

    /** {@code adminGroup}: the group whose members are administrators; null or unknown means only root is. */
    PeerIdentity(final String adminGroup) {
        this(adminGroup, Path.of("/etc"), Path.of("/proc"));
    }

    PeerIdentity(final String adminGroup, final Path etc, final Path proc) {
        this.etc = etc;
        this.proc = proc;
        this.adminGid = adminGroup == null ? -1 : groupId(adminGroup);
    }

    int adminGid() {
        return adminGid;
    }

    Caller fromCredentials(final int pid, final int uid, final int[] gids) {
        boolean admin = uid == 0;
        if (!admin && adminGid >= 0) {
            for (final int gid : gids) {
                admin |= gid == adminGid;
            }
            admin |= supplementaryGroupsContain(pid, adminGid);
        }
        return new Caller(userName(uid), admin);
    }

    /** The caller behind a loopback TCP connection, or null if its socket is not found. */
    Caller fromTcp(final InetSocketAddress peer, final InetSocketAddress local) {
        final int uid = tcpSocketOwner(peer, local);
        return uid < 0 ? null : new Caller(userName(uid), uid == 0);
    }

    String userName(final int uid) {
        final String name = lookup(etc.resolve("passwd"), 2, Integer.toString(uid));
        return name == null || name.isEmpty() || name.length() > Caller.MAX_PRINCIPAL_LENGTH ? "uid-" + uid : name;
    }

    private int groupId(final String group) {
        for (final String line : lines(etc.resolve("group"))) {
            final String[] fields = line.split(":", -1);
            if (fields.length >= 3 && fields[0].equals(group)) {
                try {
                    return Integer.parseInt(fields[2]);
                } catch (final NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** The first field of the line of {@code file} whose field {@code column} is {@code value}. */
    private static String lookup(final Path file, final int column, final String value) {
        for (final String line : lines(file)) {
            final String[] fields = line.split(":", -1);
            if (fields.length > column && fields[column].equals(value)) {
                return fields[0];
            }
        }
        return null;
    }

    private boolean supplementaryGroupsContain(final int pid, final int gid) {
        if (pid <= 0) {
            return false;
        }
        for (final String line : lines(proc.resolve(Integer.toString(pid)).resolve("status"))) {
            if (line.startsWith("Groups:")) {
                for (final String group : line.substring("Groups:".length()).trim().split("\\s+")) {
                    if (group.equals(Integer.toString(gid))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private int tcpSocketOwner(final InetSocketAddress peer, final InetSocketAddress local) {
        if (!(peer.getAddress() instanceof Inet4Address) || !(local.getAddress() instanceof Inet4Address)) {
            return -1;
        }
        final String wantLocal = procAddress(peer);
        final String wantRemote = procAddress(local);
        for (final String line : lines(proc.resolve("net").resolve("tcp"))) {
            final String[] fields = line.trim().split("\\s+");
            if (fields.length > 7 && fields[1].equals(wantLocal) && fields[2].equals(wantRemote)) {
                try {
                    return Integer.parseInt(fields[7]);
                } catch (final NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** An IPv4 socket address as /proc/net/tcp writes it: the address as a little-endian hex word, then the port. */
    private static String procAddress(final InetSocketAddress address) {
        final byte[] b = address.getAddress().getAddress();
        final int word = (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
        return String.format("%08X:%04X", word, address.getPort());
    }

    private static List<String> lines(final Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (final IOException | RuntimeException e) {
            return List.of();
        }
    }
}

package dev.nsdp.control.api;

import dev.nsdp.dataplane.namespace.Caller;
import java.io.IOException;
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
        // A socket may be IPv4 (/proc/net/tcp) or a dual-stack IPv6 socket carrying IPv4 as ::ffff:a.b.c.d (tcp6).
        for (final String table : new String[] {"tcp", "tcp6"}) {
            final boolean v6 = table.equals("tcp6");
            final String wantLocal = procAddress(peer, v6);
            final String wantRemote = procAddress(local, v6);
            if (wantLocal == null || wantRemote == null) {
                continue;
            }
            for (final String line : lines(proc.resolve("net").resolve(table))) {
                final String[] fields = line.trim().split("\\s+");
                if (fields.length > 7 && fields[1].equals(wantLocal) && fields[2].equals(wantRemote)) {
                    try {
                        return Integer.parseInt(fields[7]);
                    } catch (final NumberFormatException e) {
                        return -1;
                    }
                }
            }
        }
        return -1;
    }

    /**
     * A socket address as /proc/net/tcp{,6} writes it: the address as 32-bit words in host (little-endian)
     * order, in hex, then ':' and the port. IPv4 in tcp6 is the mapped ::ffff:a.b.c.d. Null if it cannot appear there.
     */
    static String procAddress(final InetSocketAddress address, final boolean v6) {
        final byte[] raw = address.getAddress().getAddress();
        final byte[] bytes;
        if (v6) {
            bytes = new byte[16];
            if (raw.length == 4) {
                bytes[10] = (byte) 0xFF;
                bytes[11] = (byte) 0xFF;
                System.arraycopy(raw, 0, bytes, 12, 4);
            } else {
                System.arraycopy(raw, 0, bytes, 0, 16);
            }
        } else if (raw.length == 4) {
            bytes = raw;
        } else {
            return null;
        }
        final StringBuilder sb = new StringBuilder(40);
        for (int i = 0; i < bytes.length; i += 4) {
            final int word = (bytes[i] & 0xFF) | (bytes[i + 1] & 0xFF) << 8 | (bytes[i + 2] & 0xFF) << 16 | (bytes[i + 3] & 0xFF) << 24;
            sb.append(String.format("%08X", word));
        }
        return sb.append(':').append(String.format("%04X", address.getPort())).toString();
    }

    private static List<String> lines(final Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (final IOException | RuntimeException e) {
            return List.of();
        }
    }
}

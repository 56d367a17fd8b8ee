package dev.nsdp.control.api;

import java.nio.file.Path;

/**
 * Where and how the control API listens.
 *
 * @param socket          the Unix domain socket (default {@value #DEFAULT_SOCKET}), or null for none
 * @param socketMode      its file mode (default {@value #DEFAULT_SOCKET_MODE}: owner and group may connect)
 * @param socketGroup     the group the socket file is given (default {@value #DEFAULT_SOCKET_GROUP}), or null to leave it;
 *                        only root (or a member of the group) can hand the file to a group
 * @param adminGroup      members of this group are administrators (default {@value #DEFAULT_ADMIN_GROUP}); uid 0 always is
 * @param tcpPort         a TCP port on 127.0.0.1 to listen on as well (0: any free port), or -1 for none (the default)
 * @param maxRequestBytes the longest request line accepted (default 1 MiB, enough to import a namespace with
 *                        thousands of static MACs); longer lines are refused with TOO_LARGE and skipped
 * @param maxPendingPerConnection requests of one connection waiting for the control thread before the server stops
 *                        reading that connection (backpressure, default 1024)
 */
public record ControlServerConfig(
    Path socket,
    String socketMode,
    String socketGroup,
    String adminGroup,
    int tcpPort,
    int maxRequestBytes,
    int maxPendingPerConnection) {

    public static final String DEFAULT_SOCKET = "/run/nsdp/nsdp.sock";
    public static final String DEFAULT_SOCKET_MODE = "rw-rw----";
    public static final String DEFAULT_SOCKET_GROUP = "nsdp";
    public static final String DEFAULT_ADMIN_GROUP = "nsdp-admin";
    public static final int DEFAULT_MAX_REQUEST_BYTES = 1 << 20;

    public static final ControlServerConfig DEFAULTS = new ControlServerConfig(Path.of(DEFAULT_SOCKET), DEFAULT_SOCKET_MODE,
        DEFAULT_SOCKET_GROUP, DEFAULT_ADMIN_GROUP, -1, DEFAULT_MAX_REQUEST_BYTES, 1024);

    public ControlServerConfig {
        if (socket == null && tcpPort < 0) {
            throw new IllegalArgumentException("the control server needs a Unix socket, a TCP port, or both");
        }
        if (maxRequestBytes < 1024) {
            throw new IllegalArgumentException("maxRequestBytes must be >= 1024, got " + maxRequestBytes);
        }
        if (maxPendingPerConnection < 1) {
            throw new IllegalArgumentException("maxPendingPerConnection must be >= 1");
        }
    }

    public ControlServerConfig withSocket(final Path path) {
        return new ControlServerConfig(path, socketMode, socketGroup, adminGroup, tcpPort, maxRequestBytes, maxPendingPerConnection);
    }

    public ControlServerConfig withTcpPort(final int port) {
        return new ControlServerConfig(socket, socketMode, socketGroup, adminGroup, port, maxRequestBytes, maxPendingPerConnection);
    }

    public ControlServerConfig withAdminGroup(final String group) {
        return new ControlServerConfig(socket, socketMode, socketGroup, group, tcpPort, maxRequestBytes, maxPendingPerConnection);
    }

    public ControlServerConfig withSocketGroup(final String group) {
        return new ControlServerConfig(socket, socketMode, group, adminGroup, tcpPort, maxRequestBytes, maxPendingPerConnection);
    }

    public ControlServerConfig withMaxRequestBytes(final int bytes) {
        return new ControlServerConfig(socket, socketMode, socketGroup, adminGroup, tcpPort, bytes, maxPendingPerConnection);
    }
}

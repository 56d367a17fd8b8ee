package dev.nsdp.control.api;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.logging.Logger;

/**
 * The control API server (issue 7): Netty on its native epoll transport, listening on a Unix domain
 * socket (default {@value ControlServerConfig#DEFAULT_SOCKET}, mode 0660, group
 * {@value ControlServerConfig#DEFAULT_SOCKET_GROUP}) and optionally on TCP 127.0.0.1. The protocol is
 * newline-delimited JSON, one request per line and one reply per line, in order (see
 * {@link dev.nsdp.control.model.RequestCodec} for the verbs and {@link dev.nsdp.control.model.Reply}
 * for replies). One event-loop thread does the I/O and decoding; every request is applied by the
 * {@link ControlService}'s control thread.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ControlServer.class.getName());

    private final ControlServerConfig config;
    private final EventLoopGroup group;
    private Channel unixChannel;
    private Channel tcpChannel;

    private ControlServer(final ControlServerConfig config) {
        this.config = config;
        this.group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    }

    /** Binds and starts serving; the caller identity comes from the kernel ({@link Authenticator#kernelCredentials}). */
    public static ControlServer start(final ControlServerConfig config, final ControlService service) {
        return start(config, service, Authenticator.kernelCredentials(config.adminGroup()));
    }

    public static ControlServer start(final ControlServerConfig config, final ControlService service, final Authenticator authenticator) {
        Epoll.ensureAvailability();
        final ControlServer server = new ControlServer(config);
        try {
            server.bind(service, authenticator);
        } catch (final RuntimeException | IOException e) {
            server.close();
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
        }
        return server;
    }

    private void bind(final ControlService service, final Authenticator authenticator) throws IOException {
        final ChannelInitializer<Channel> init = new ChannelInitializer<>() {
            @Override
            protected void initChannel(final Channel ch) {
                ch.pipeline().addLast(new ControlConnection(service, authenticator, config.maxRequestBytes(),
                    config.maxPendingPerConnection()));
            }
        };
        if (config.socket() != null) {
            final Path socket = config.socket();
            prepareSocketPath(socket);
            unixChannel = new ServerBootstrap().group(group).channel(EpollServerDomainSocketChannel.class).childHandler(init)
                .bind(new DomainSocketAddress(socket.toString())).syncUninterruptibly().channel();
            setSocketPermissions(socket);
            LOG.info("nsdp control API on unix:" + socket);
        }
        if (config.tcpPort() >= 0) {
            tcpChannel = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class).childHandler(init)
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), config.tcpPort())).syncUninterruptibly().channel();
            LOG.info("nsdp control API on tcp:" + tcpChannel.localAddress());
        }
    }

    /**
     * Creates the socket's directory, and removes a stale socket file left by a server that died
     * (nobody answers on it); refuses to start when another server does answer.
     */
    private static void prepareSocketPath(final Path socket) throws IOException {
        final Path parent = socket.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                probe.connect(UnixDomainSocketAddress.of(socket));
                throw new IllegalStateException("another nsdp control server is listening on " + socket + "; stop it first");
            } catch (final IOException stale) {
                Files.delete(socket);
            }
        }
    }

    private void setSocketPermissions(final Path socket) {
        try {
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString(config.socketMode()));
        } catch (final IOException | RuntimeException e) {
            LOG.warning("cannot set mode " + config.socketMode() + " on " + socket + ": " + e);
        }
        if (config.socketGroup() != null) {
            try {
                final GroupPrincipal group = socket.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByGroupName(config.socketGroup());
                Files.getFileAttributeView(socket, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setGroup(group);
            } catch (final IOException | RuntimeException e) {
                LOG.info("socket " + socket + " keeps its group: group '" + config.socketGroup() + "' is not usable (" + e
                    + "); create it (groupadd " + config.socketGroup() + ") to let its members connect");
            }
        }
    }

    /** The Unix socket path, or null. */
    public Path socketPath() {
        return unixChannel == null ? null : config.socket();
    }

    /** The TCP port bound on 127.0.0.1, or -1. */
    public int tcpPort() {
        return tcpChannel == null ? -1 : ((InetSocketAddress) tcpChannel.localAddress()).getPort();
    }

    /** Stops listening, closes every connection and removes the socket file. */
    @Override
    public void close() {
        if (unixChannel != null) {
            unixChannel.close().syncUninterruptibly();
        }
        if (tcpChannel != null) {
            tcpChannel.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        if (unixChannel != null) {
            try {
                Files.deleteIfExists(config.socket());
            } catch (final IOException e) {
                LOG.warning("cannot remove " + config.socket() + ": " + e);
            }
        }
    }
}

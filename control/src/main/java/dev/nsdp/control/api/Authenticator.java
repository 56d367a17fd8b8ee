package dev.nsdp.control.api;

import dev.nsdp.dataplane.namespace.Caller;
import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.unix.PeerCredentials;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Decides the {@link Caller} of a new control connection, once, when it connects. The standard one
 * ({@link #kernelCredentials}) asks the kernel (see {@link PeerIdentity}); tests of the protocol's
 * refusals use a fixed caller, since they run as root.
 */
@FunctionalInterface
public interface Authenticator {
    /** The caller on {@code channel}, or null to refuse the connection (it is told why and closed). */
    Caller authenticate(Channel channel);

    /** SO_PEERCRED on the Unix socket, the socket's owner in /proc/net/tcp on loopback TCP. */
    static Authenticator kernelCredentials(final String adminGroup) {
        final PeerIdentity identity = new PeerIdentity(adminGroup);
        return channel -> {
            if (channel instanceof EpollDomainSocketChannel unix) {
                try {
                    final PeerCredentials credentials = unix.peerCredentials();
                    return identity.fromCredentials(credentials.pid(), credentials.uid(), credentials.gids());
                } catch (final IOException e) {
                    return null;
                }
            }
            if (channel.remoteAddress() instanceof InetSocketAddress peer && channel.localAddress() instanceof InetSocketAddress local) {
                return identity.fromTcp(peer, local);
            }
            return null;
        };
    }

    /** Every connection is {@code caller} (tests; a single-user lab). */
    static Authenticator fixed(final Caller caller) {
        return channel -> caller;
    }
}

package dev.nsdp.dataplane.forwarder;

import dev.nsdp.dataplane.nativ.KernelLab;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Test fixture: kernel network namespaces as hosts, each attached by a veth to one "switch"
 * namespace where nsdp opens its AF_PACKET ports (the switch namespace itself has no addresses and
 * no IPv6, so it stays silent). Built on {@link KernelLab}: unique names, everything removed on
 * {@link #close()} even when a test fails; addresses only from 198.18.0.0/15 and 2001:db8::/32.
 */
final class HostLab implements AutoCloseable {
    /**
     * A host: its kernel namespace, its veth end there ({@code hostLink}) and the peer in the switch
     * namespace ({@code switchLink}, what nsdp opens), with a fixed MAC and addresses.
     */
    record Host(String namespace, String hostLink, String switchLink, String mac, String ipv4, String ipv6) {
        String address() {
            return ipv4.substring(0, ipv4.indexOf('/'));
        }

        String address6() {
            return ipv6 == null ? null : ipv6.substring(0, ipv6.indexOf('/'));
        }
    }

    final KernelLab lab = KernelLab.open();
    final String switchNamespace;
    private final List<Host> hosts = new ArrayList<>();

    HostLab() {
        try {
            switchNamespace = lab.namespace("sw");
            quiet(switchNamespace);
        } catch (final RuntimeException | Error e) {
            lab.close();
            throw e;
        }
    }

    /** A host namespace {@code suffix} with MAC {@code mac}, an IPv4 address and, if not null, an IPv6 one. */
    Host host(final String suffix, final String mac, final String ipv4, final String ipv6) {
        final String namespace = lab.namespace(suffix);
        if (ipv6 == null) {
            quiet(namespace);
        }
        final Host host = new Host(namespace, lab.link(suffix + "h"), lab.link(suffix + "s"), mac, ipv4, ipv6);
        connect(host);
        hosts.add(host);
        return host;
    }

    /** Creates (or re-creates, after a test deleted it) the host's veth pair with its MAC and addresses. */
    void connect(final Host host) {
        lab.ip("link", "add", host.hostLink(), "netns", host.namespace(), "address", host.mac(), "type", "veth",
            "peer", "name", host.switchLink(), "netns", switchNamespace);
        lab.ip("-n", host.namespace(), "addr", "add", host.ipv4(), "dev", host.hostLink());
        if (host.ipv6() != null) {
            lab.ip("-n", host.namespace(), "addr", "add", host.ipv6(), "dev", host.hostLink(), "nodad");
        }
        lab.ip("-n", switchNamespace, "link", "set", host.switchLink(), "up");
        lab.ip("-n", host.namespace(), "link", "set", host.hostLink(), "up");
    }

    /** A namespace with its own empty host side, for a TAP nsdp creates there. */
    String tapHost(final String suffix) {
        final String namespace = lab.namespace(suffix);
        quiet(namespace);
        return namespace;
    }

    /** `ping` from {@code from} to {@code address} (IPv4 or IPv6): bounded, true if every echo was answered. */
    boolean ping(final String fromNamespace, final String address, final int count) {
        return lab.exec(fromNamespace, "ping", "-n", "-c", Integer.toString(count), "-i", "0.2", "-W", "2", address)
            .exitCode() == 0;
    }

    /** Pings until one answer comes back, at most {@code attempts} times (links come up asynchronously). */
    boolean pingEventually(final String fromNamespace, final String address, final int attempts) {
        for (int i = 0; i < attempts; i++) {
            if (lab.exec(fromNamespace, "ping", "-n", "-c", "1", "-W", "1", address).exitCode() == 0) {
                return true;
            }
        }
        return false;
    }

    long received(final Host host) {
        return lab.statistic(host.namespace(), host.hostLink(), "rx_packets");
    }

    /** Whether a link of that name exists in a lab namespace now. */
    boolean linkExists(final String namespace, final String link) {
        return lab.exec(namespace, "ip", "link", "show", link).exitCode() == 0;
    }

    /** AF_PACKET sockets open in a namespace (lines of /proc/net/packet, less its header). */
    int packetSockets(final String namespace) {
        return (int) lab.exec(namespace, "cat", "/proc/net/packet").checked().lines().count() - 1;
    }

    String neighbour(final Host host, final String address) {
        return lab.exec(host.namespace(), "ip", "neigh", "show", address).checked();
    }

    static boolean await(final Duration timeout, final java.util.function.BooleanSupplier condition) {
        return KernelLab.await(timeout, condition);
    }

    private void quiet(final String namespace) {
        lab.exec(namespace, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
            .checked();
    }

    @Override
    public void close() {
        lab.close();
    }
}

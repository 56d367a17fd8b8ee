package dev.nsdp.dataplane.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.dataplane.counter.DropReason;
import dev.nsdp.dataplane.nativ.KernelLab;
import dev.nsdp.dataplane.nativ.KernelNamespace;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TCP between two kernel namespaces through two PacketSocketPorts and a bridge loop
 * ({@link PortBridge}), over veths made by a plain {@code ip link add ... type veth}: default
 * offloads, so the senders hand the links TSO super-frames of up to 64 KiB with partial checksums.
 *
 * <pre>
 *   client: c0 ──veth── d0 [port]  bridge  [port] d1 ──veth── s0 :server
 * </pre>
 */
class TcpThroughPortsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Pattern RECEIVED_RATE =
        Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*?\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)");

    private static KernelLab lab;
    private static String nsClient;
    private static String nsDut;
    private static String nsServer;
    private static String client;
    private static String dutA;
    private static String dutB;
    private static String server;

    @BeforeAll
    static void createLab() {
        lab = KernelLab.open();
        try {
            nsClient = lab.namespace("c");
            nsDut = lab.namespace("d");
            nsServer = lab.namespace("s");
            lab.exec(nsDut, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
                .checked();
            client = lab.link("c0");
            dutA = lab.link("d0");
            dutB = lab.link("d1");
            server = lab.link("s0");
            lab.vethPair(nsClient, client, nsDut, dutA);
            lab.vethPair(nsDut, dutB, nsServer, server);
            lab.ip("-n", nsClient, "addr", "add", "198.18.1.1/24", "dev", client);
            lab.ip("-n", nsClient, "addr", "add", "2001:db8:1::1/64", "dev", client, "nodad");
            lab.ip("-n", nsServer, "addr", "add", "198.18.1.2/24", "dev", server);
            lab.ip("-n", nsServer, "addr", "add", "2001:db8:1::2/64", "dev", server, "nodad");
        } catch (final RuntimeException | Error e) {
            lab.close();
            throw e;
        }
    }

    @AfterAll
    static void removeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    private static PacketSocketPort open(final String link) {
        return PacketSocketPort.open(link, PacketSocketOptions.defaults().withNamespace(KernelNamespace.named(nsDut)));
    }

    @Test
    void theVethsHaveTheirDefaultOffloads() {
        final String features = lab.exec(nsClient, "ethtool", "-k", client).checked();
        assertTrue(features.contains("tcp-segmentation-offload: on"), features);
        assertTrue(features.contains("tx-checksumming: on"), features);
    }

    @Test
    void iperf3TcpCompletesThroughTheBridge() {
        try (PacketSocketPort a = open(dutA); PacketSocketPort b = open(dutB)) {
            try (PortBridge bridge = new PortBridge(a, b)) {
                lab.start(nsServer, "iperf3", "-s", "-1", "-B", "198.18.1.2");
                assertTrue(KernelLab.await(WAIT, () -> lab.exec(nsServer, "ss", "-ltn").output().contains("198.18.1.2:5201")),
                    "iperf3 server listening");
                final KernelLab.Result run = lab.exec(nsClient, "iperf3", "-c", "198.18.1.2", "-t", "3", "-J",
                    "--connect-timeout", "5000");
                assertEquals(0, run.exitCode(), run.output());
                final Matcher rate = RECEIVED_RATE.matcher(run.output());
                assertTrue(rate.find(), run.output());
                final double bitsPerSecond = Double.parseDouble(rate.group(1));
                System.out.printf("iperf3 TCP through two PacketSocketPorts (default veth offloads, 3 s): %.2f Gbit/s%n",
                    bitsPerSecond / 1e9);
                System.out.println("client-side port " + a.counters());
                System.out.println("server-side port " + b.counters());
                assertTrue(bitsPerSecond > 0);
                assertTrue(a.counters().gsoFrames() > 0, "the client's TSO super-frames were segmented: " + a.counters());
                assertEquals(0, a.counters().drops(DropReason.GSO_UNSUPPORTED));
            }
        }
    }
}

package dev.nsdp.dataplane.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.dataplane.counter.DropReason;
import dev.nsdp.dataplane.nativ.KernelLab;
import dev.nsdp.dataplane.nativ.KernelNamespace;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
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

    private static final int PATTERN_BLOCK = 65_521; // prime: block edges never line up with segments
    private static final String SINK = """
        import hashlib, socket, sys
        family = socket.AF_INET6 if ':' in sys.argv[1] else socket.AF_INET
        s = socket.socket(family, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((sys.argv[1], int(sys.argv[2])))
        s.listen(1)
        s.settimeout(15)
        c, _ = s.accept()
        c.settimeout(15)
        digest, total = hashlib.sha256(), 0
        while True:
            data = c.recv(1 << 20)
            if not data:
                break
            digest.update(data)
            total += len(data)
        print(total, digest.hexdigest(), flush=True)
        """;
    private static final String SOURCE = """
        import socket, sys
        block = bytes((i * 31 + 7) & 0xFF for i in range(%d))
        total = int(sys.argv[3])
        c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=15)
        sent = 0
        while sent < total:
            chunk = block[:min(len(block), total - sent)]
            c.sendall(chunk)
            sent += len(chunk)
        c.close()
        """.formatted(PATTERN_BLOCK);

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
    void aKnownByteStreamArrivesIntactOverIpv4AndIpv6() throws Exception {
        final int total = 24 << 20;
        final String expected = total + " " + patternDigest(total);
        try (PacketSocketPort a = open(dutA); PacketSocketPort b = open(dutB)) {
            try (PortBridge bridge = new PortBridge(a, b)) {
                for (final String address : new String[] {"198.18.1.2", "2001:db8:1::2"}) {
                    final long superFramesBefore = a.counters().gsoFrames();
                    final Process sink = lab.start(nsServer, "/usr/bin/python3", "-c", SINK, address, "5001");
                    assertTrue(KernelLab.await(WAIT, () -> lab.exec(nsServer, "ss", "-ltnH").output().contains(":5001")),
                        "sink listening on " + address);
                    final KernelLab.Result sent = lab.exec(nsClient, "/usr/bin/python3", "-c", SOURCE, address, "5001",
                        Integer.toString(total));
                    assertEquals(0, sent.exitCode(), sent.output());
                    assertTrue(sink.waitFor(15, TimeUnit.SECONDS), "sink finished");
                    final String received = new String(sink.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                    assertEquals(expected, received, "length and SHA-256 of what arrived at " + address);
                    assertTrue(a.counters().gsoFrames() > superFramesBefore,
                        "the stream to " + address + " came as super-frames: " + a.counters());
                }
                assertEquals(0, a.counters().totalDrops(), a.counters().toString());
                assertEquals(0, b.counters().totalDrops(), b.counters().toString());
            }
        }
    }

    private static String patternDigest(final int total) throws Exception {
        final byte[] block = new byte[PATTERN_BLOCK];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (i * 31 + 7);
        }
        final MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (int sent = 0; sent < total; sent += block.length) {
            digest.update(block, 0, Math.min(block.length, total - sent));
        }
        return HexFormat.of().formatHex(digest.digest());
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
                iperf3(1); // warm-up: the connection's slow start and every code path once
                final double bitsPerSecond = iperf3(3);
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

    /** Runs iperf3 for {@code seconds} from client to server: the receiver's rate in bit/s. */
    private static double iperf3(final int seconds) {
        lab.start(nsServer, "iperf3", "-s", "-1", "-B", "198.18.1.2");
        assertTrue(KernelLab.await(WAIT, () -> lab.exec(nsServer, "ss", "-ltnH").output().contains("198.18.1.2:5201")),
            "iperf3 server listening");
        final KernelLab.Result run = lab.exec(nsClient, "iperf3", "-c", "198.18.1.2", "-t", Integer.toString(seconds),
            "-J", "--connect-timeout", "5000");
        assertEquals(0, run.exitCode(), run.output());
        final Matcher rate = RECEIVED_RATE.matcher(run.output());
        assertTrue(rate.find(), run.output());
        return Double.parseDouble(rate.group(1));
    }
}

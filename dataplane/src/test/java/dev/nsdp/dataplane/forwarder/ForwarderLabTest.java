package dev.nsdp.dataplane.forwarder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.dataplane.forwarder.HostLab.Host;
import dev.nsdp.dataplane.nativ.KernelLab;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The forwarder end to end, in this JVM, against real kernel hosts: network namespaces attached to
 * nsdp by veths (addresses on the host ends; nsdp's AF_PACKET ports on the peers in a switch
 * namespace), and a TAP nsdp creates in a host namespace of its own. What the hosts' own kernels do
 * (ARP, NDP, ping, UDP sockets) is what is checked, plus the forwarder's counters.
 */
class ForwarderLabTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    // The same MAC in both tenants: each namespace's MAC table is its own.
    private static final String MAC_1 = "02:00:5e:10:00:01";

    private static HostLab hosts;
    private static Host red1;
    private static Host red2;
    private static Host blue1;
    private static Host blue3;
    private static String tapHost;

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private Forwarder forwarder;

    @BeforeAll
    static void createHosts() {
        hosts = new HostLab();
        try {
            red1 = hosts.host("r1", MAC_1, "198.18.0.1/24", "2001:db8::1/64");
            red2 = hosts.host("r2", "02:00:5e:10:00:02", "198.18.0.2/24", "2001:db8::2/64");
            blue1 = hosts.host("b1", MAC_1, "198.18.0.1/24", null);
            blue3 = hosts.host("b3", "02:00:5e:10:00:03", "198.18.0.3/24", null);
            tapHost = hosts.tapHost("tp");
        } catch (final RuntimeException | Error e) {
            hosts.close();
            throw e;
        }
    }

    @AfterAll
    static void removeHosts() {
        if (hosts != null) {
            hosts.close();
        }
    }

    @AfterEach
    void stopForwarder() {
        if (forwarder != null) {
            forwarder.close();
        }
    }

    private String port(final String namespace, final String name, final Host host) {
        return "port " + namespace + " " + name + " afpacket link " + host.switchLink() + " netns " + hosts.switchNamespace
            + " up\n";
    }

    private String tenants() {
        return "dataplane pool-buffers 4096 mac-table-entries 4096\n"
            + "namespace red\nnamespace blue\n"
            + port("red", "r1", red1) + port("red", "r2", red2)
            + port("blue", "b1", blue1) + port("blue", "b3", blue3);
    }

    private Forwarder start(final String configText) throws Exception {
        final ForwarderConfig config = ForwarderConfig.parse("lab.conf", configText.lines().toList());
        forwarder = Forwarder.start(config, Forwarder.Options.DEFAULTS.withStatusIntervalMillis(0).withSuperviseMillis(20),
            new PrintStream(log, true, StandardCharsets.UTF_8));
        assertTrue(awaitStats(s -> s.ports().stream().allMatch(p -> p.state().equals("up") || p.kind().equals("tap"))),
            "every veth port's link is up: " + forwarder.stats().ports());
        return forwarder;
    }

    private boolean awaitStats(final Predicate<ForwarderStats> condition) {
        return HostLab.await(WAIT, () -> condition.test(forwarder.stats()));
    }

    private String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    @Test
    void hostsOfOneNamespaceResolveAndPingOverIpv4AndIpv6AndExchangeUdpByteExact() throws Exception {
        start(tenants());
        assertTrue(hosts.pingEventually(red1.namespace(), red2.address(), 5), "IPv4 ping through nsdp, ARP first");
        assertTrue(hosts.neighbour(red1, red2.address()).contains(red2.mac()),
            "red1 resolved red2's MAC by ARP through nsdp: " + hosts.neighbour(red1, red2.address()));
        assertTrue(hosts.ping(red1.namespace(), red2.address(), 3));

        assertTrue(hosts.pingEventually(red1.namespace(), red2.address6(), 5), "IPv6 ping through nsdp, NDP first");
        assertTrue(hosts.neighbour(red1, red2.address6()).contains(red2.mac()),
            "red1 resolved red2's MAC by NDP through nsdp: " + hosts.neighbour(red1, red2.address6()));
        assertTrue(hosts.ping(red2.namespace(), red1.address6(), 3));

        // UDP: datagrams of many sizes, each arriving once and byte for byte (veth hands the port partial
        // checksums; the receiving kernel drops any datagram whose checksum nsdp got wrong).
        final List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            final byte[] payload = new byte[1 + (i * 37) % 1400];
            for (int b = 0; b < payload.length; b++) {
                payload[b] = (byte) (i * 31 + b);
            }
            payloads.add(payload);
        }
        assertEquals(payloads.stream().map(HexFormat.of()::formatHex).toList(),
            udp(red1, red2, payloads), "every datagram arrives once, in order, byte for byte");

        // The stats are a snapshot the control thread takes every round: wait for one that saw the last frames.
        awaitStats(s -> s.port("red", "r1").rxPackets() >= 40 + 6 && s.port("red", "r2").txPackets() >= 40 + 6
            && s.namespace("red").rxPackets() >= 40 + 16);
        final ForwarderStats stats = forwarder.stats();
        assertTrue(stats.port("red", "r1").rxPackets() >= 40 + 6, stats.port("red", "r1").toString());
        assertTrue(stats.port("red", "r2").txPackets() >= 40 + 6, stats.port("red", "r2").toString());
        assertTrue(stats.namespace("red").rxPackets() >= 40 + 16, stats.namespace("red").toString());
        assertEquals(0, stats.port("red", "r1").downEvents());
    }

    private static final String UDP_RECEIVER = """
        import socket, sys
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((sys.argv[1], 9999))
        s.settimeout(5)
        print('ready', flush=True)
        got = []
        try:
            while len(got) < int(sys.argv[2]):
                got.append(s.recv(4096).hex())
        except socket.timeout:
            pass
        print(' '.join(got), flush=True)
        """;
    private static final String UDP_SENDER = """
        import socket, sys, time
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for h in sys.argv[2:]:
            s.sendto(bytes.fromhex(h), (sys.argv[1], 9999))
            time.sleep(0.002)
        """;

    private static List<String> udp(final Host from, final Host to, final List<byte[]> payloads) throws Exception {
        final Process receiver = hosts.lab.start(to.namespace(), "/usr/bin/python3", "-c", UDP_RECEIVER, to.address(),
            Integer.toString(payloads.size()));
        final BufferedReader lines = new BufferedReader(new InputStreamReader(receiver.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("ready", lines.readLine());
        final List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "-c", UDP_SENDER, to.address()));
        payloads.forEach(p -> command.add(HexFormat.of().formatHex(p)));
        hosts.lab.exec(from.namespace(), command.toArray(String[]::new)).checked();
        final String received = lines.readLine();
        assertTrue(receiver.waitFor(10, TimeUnit.SECONDS));
        return received == null || received.isBlank() ? List.of() : List.of(received.trim().split(" "));
    }

    @Test
    void twoTenantsWithTheSameAddressesAndMacsAreIsolated() throws Exception {
        start(tenants());
        // Blue's hosts have IPv6 off and have sent nothing yet: any frame blue counts now came from red.
        final long blueBefore = forwarder.stats().namespace("blue").rxPackets();
        final long blue3Before = hosts.received(blue3);
        assertTrue(hosts.pingEventually(red1.namespace(), red2.address(), 5), "inside red");
        final long redBefore = forwarder.stats().namespace("red").rxPackets();
        assertFalse(hosts.ping(red1.namespace(), blue3.address(), 2), "198.18.0.3 exists only in blue: red cannot reach it");
        assertTrue(awaitStats(s -> s.namespace("red").rxPackets() > redBefore), "red counted its own ARP requests");
        assertEquals(blueBefore, forwarder.stats().namespace("blue").rxPackets(), "blue's counters saw none of it");
        assertEquals(blue3Before, hosts.received(blue3), "and blue3's kernel received nothing");

        assertTrue(hosts.pingEventually(blue1.namespace(), blue3.address(), 5), "inside blue, same address and MAC as red1");
        final long blueNow = forwarder.stats().namespace("blue").rxPackets();
        assertFalse(hosts.ping(blue1.namespace(), red2.address(), 2), "198.18.0.2 exists only in red: blue cannot reach it");
        assertTrue(awaitStats(s -> s.namespace("blue").rxPackets() > blueNow), "blue counted its own ARP requests");
        assertFalse(hosts.neighbour(blue1, red2.address()).contains(red2.mac()), "red2 never answered blue's ARP");

        // Each tenant's hosts resolved the MAC of their own tenant's peer only.
        assertTrue(hosts.neighbour(red1, red2.address()).contains(red2.mac()));
        assertTrue(hosts.neighbour(blue1, blue3.address()).contains(blue3.mac()));
        assertTrue(hosts.ping(red1.namespace(), red2.address(), 2) && hosts.ping(blue1.namespace(), blue3.address(), 2),
            "both tenants still work, with the same addresses and the same MAC");
    }

    @Test
    void aTapAttachedHostIsSwitchedLikeAnyOtherAndTheTapGoesWithTheForwarder() throws Exception {
        final String tap = hosts.lab.link("tp");
        start(tenants() + "port red t0 tap name " + tap + " netns " + tapHost + " up\n");
        assertTrue(hosts.linkExists(tapHost, tap), "nsdp created the TAP in the host's namespace");
        hosts.lab.ip("-n", tapHost, "addr", "add", "198.18.0.5/24", "dev", tap);
        hosts.lab.ip("-n", tapHost, "link", "set", tap, "up");
        assertTrue(awaitStats(s -> s.port("red", "t0").state().equals("up")), "the tap's link is up once its host sets it up");

        assertTrue(hosts.pingEventually(red1.namespace(), "198.18.0.5", 5), "veth host to TAP host");
        assertTrue(hosts.ping(tapHost, red2.address(), 3), "TAP host to veth host");
        assertFalse(hosts.ping(tapHost, blue3.address(), 1), "the TAP is in red: blue is out of reach");
        final ForwarderStats.PortStats t0 = forwarder.stats().port("red", "t0");
        assertTrue(t0.rxPackets() >= 4 && t0.txPackets() >= 4, t0.toString());

        forwarder.close();
        assertFalse(hosts.linkExists(tapHost, tap), "closing the forwarder removed the TAP it created");
    }

    @Test
    void aLinkDeletedDuringAPingStreamIsCountedDownAndRecoversWhenItReturns() throws Exception {
        start(tenants());
        assertTrue(hosts.pingEventually(red1.namespace(), red2.address(), 5));
        final Process stream = hosts.lab.start(red1.namespace(), "ping", "-n", "-c", "120", "-i", "0.05", "-W", "1",
            red2.address());
        assertTrue(awaitStats(s -> s.port("red", "r2").txPackets() > 10), "the stream flows");

        hosts.lab.ip("-n", hosts.switchNamespace, "link", "del", red2.switchLink()); // deletes the pair
        assertTrue(awaitStats(s -> s.port("red", "r2").state().equals("gone")), "port detached: " + log());
        assertEquals(1, forwarder.stats().port("red", "r2").downEvents(), "and its going down counted once");
        assertTrue(hosts.ping(blue1.namespace(), blue3.address(), 2), "the rest keeps forwarding");

        hosts.connect(red2); // same names, same MAC, same addresses: a new ifindex
        assertTrue(awaitStats(s -> s.port("red", "r2").state().equals("up") && s.port("red", "r2").reopens() == 1),
            "reopened on the new link: " + log());
        assertTrue(hosts.pingEventually(red1.namespace(), red2.address(), 10), "red1 reaches red2 again");
        assertTrue(stream.waitFor(20, TimeUnit.SECONDS), "the stream ended");
        final String output = new String(stream.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        final long replies = output.lines().filter(l -> l.contains("bytes from")).count();
        assertTrue(replies > 10 && replies < 120, "replies before and maybe after the outage, not during it: " + replies);

        final ForwarderStats.PortStats r2 = forwarder.stats().port("red", "r2");
        assertEquals(1, r2.downEvents());
        assertEquals(1, r2.reopens());
        assertTrue(r2.txPackets() > 10, "counters carry over the reopen: " + r2);
        assertTrue(log().contains("link gone; detached") && log().contains("reopened on " + red2.switchLink()), log());
    }

    @Test
    void aLinkThatGoesDownIsSkippedCountedAndUsedAgainWhenItComesBack() throws Exception {
        start(tenants());
        assertTrue(hosts.pingEventually(red1.namespace(), red2.address(), 5));
        final int ifindex = forwarder.stats().port("red", "r2").ifindex();

        hosts.lab.ip("-n", red2.namespace(), "link", "set", red2.hostLink(), "down"); // the switch side loses carrier
        assertTrue(awaitStats(s -> s.port("red", "r2").state().equals("down")), log());
        assertEquals(1, forwarder.stats().port("red", "r2").downEvents());
        assertTrue(hosts.ping(blue1.namespace(), blue3.address(), 2), "the rest keeps forwarding");

        hosts.lab.ip("-n", red2.namespace(), "link", "set", red2.hostLink(), "up");
        assertTrue(awaitStats(s -> s.port("red", "r2").state().equals("up")), log());
        assertTrue(hosts.pingEventually(red1.namespace(), red2.address(), 10), "forwarding to red2 again");
        final ForwarderStats.PortStats r2 = forwarder.stats().port("red", "r2");
        assertEquals(1, r2.downEvents());
        assertEquals(0, r2.reopens(), "same link, same socket");
        assertEquals(ifindex, r2.ifindex());
    }

    @Test
    void aKernelNamespaceDeletedUnderAPortIsLetGoAndUsedAgainWhenItComesBack() throws Exception {
        // The port's link lives in its own kernel namespace "ex"; its host is a namespace of its own.
        final String ex = hosts.lab.namespace("ex");
        final String host = hosts.tapHost("eh");
        final String exLink = hosts.lab.link("ex");
        final String hostLink = hosts.lab.link("eh");
        final Runnable wire = () -> {
            hosts.lab.ip("link", "add", hostLink, "netns", host, "address", "02:00:5e:10:00:07", "type", "veth",
                "peer", "name", exLink, "netns", ex);
            hosts.lab.ip("-n", host, "addr", "add", "198.18.0.7/24", "dev", hostLink);
            hosts.lab.ip("-n", host, "link", "set", hostLink, "up");
            hosts.lab.ip("-n", ex, "link", "set", exLink, "up");
        };
        wire.run();
        start(tenants() + "port red ex afpacket link " + exLink + " netns " + ex + " up\n");
        assertTrue(hosts.pingEventually(red1.namespace(), "198.18.0.7", 5));

        hosts.lab.ip("netns", "del", ex);
        assertTrue(awaitStats(s -> s.port("red", "ex").state().equals("gone")), log());
        assertTrue(log().contains("kernel namespace '" + ex + "' is gone"), log());
        // nsdp held the namespace alive only through its sockets: once it let go, the kernel tore the
        // namespace down, and with it the veth pair, whose other end was in the host's namespace.
        assertTrue(HostLab.await(WAIT, () -> !hosts.linkExists(host, hostLink)), "the namespace was freed");
        assertTrue(hosts.ping(red1.namespace(), red2.address(), 1), "the rest keeps forwarding");

        hosts.lab.ip("netns", "add", ex);
        wire.run();
        assertTrue(awaitStats(s -> s.port("red", "ex").state().equals("up") && s.port("red", "ex").reopens() == 1), log());
        assertTrue(hosts.pingEventually(red1.namespace(), "198.18.0.7", 10), "reachable in the new namespace");
        assertEquals(1, forwarder.stats().port("red", "ex").downEvents());
    }

    @Test
    void startFailuresNameTheLineTheLinkAndTheSettingAndLeaveNothingOpen() throws Exception {
        final String tap = hosts.lab.link("tq");
        final String missing = hosts.lab.link("zz");
        final int descriptors = KernelLab.openFileDescriptors();
        final String text = "namespace red\n"
            + "port red t0 tap name " + tap + " netns " + tapHost + " up\n"
            + port("red", "r1", red1)
            + "port red gone afpacket link " + missing + " netns " + hosts.switchNamespace + "\n"
            + "port red big afpacket link " + red2.switchLink() + " netns " + hosts.switchNamespace
            + " frame-size 4096 rx-frames 1048576\n";
        final ForwarderConfig config = ForwarderConfig.parse("bad.conf", text.lines().toList());
        final ForwarderException e = assertThrows(ForwarderException.class,
            () -> Forwarder.start(config, Forwarder.Options.DEFAULTS, new PrintStream(log, true, StandardCharsets.UTF_8)));
        final String message = e.getMessage();
        assertTrue(message.contains("2 ports would not open (nothing was left open)"), message);
        assertTrue(message.contains("line 4: port red/gone") && message.contains("link '" + missing
            + "' not found in kernel namespace '" + hosts.switchNamespace + "'"), message);
        assertTrue(message.contains("line 5: port red/big") && message.contains("ENOMEM")
            && message.contains("lower rx-frames/tx-frames") && message.contains("on line 5"), message);
        assertFalse(hosts.linkExists(tapHost, tap), "the TAP opened for line 2 was removed again");
        assertEquals(0, hosts.packetSockets(hosts.switchNamespace), "no AF_PACKET socket left in the switch namespace");
        assertTrue(HostLab.await(Duration.ofSeconds(2), () -> KernelLab.openFileDescriptors() == descriptors),
            "no descriptor left: " + KernelLab.openFileDescriptors() + " vs " + descriptors);
    }

    @Test
    void closeLeavesNoSocketMappingOrPromiscuousLinkBehind() throws Exception {
        final int descriptors = KernelLab.openFileDescriptors();
        final long mappings = KernelLab.socketMappings();
        start(tenants());
        assertEquals(4, hosts.packetSockets(hosts.switchNamespace));
        assertTrue(hosts.lab.ip("-n", hosts.switchNamespace, "-d", "link", "show", red1.switchLink()).contains("promiscuity 1"));
        assertTrue(KernelLab.socketMappings() > mappings);
        forwarder.close();
        assertTrue(forwarder.isStopped());
        assertEquals(0, hosts.packetSockets(hosts.switchNamespace));
        assertEquals(mappings, KernelLab.socketMappings(), "every ring unmapped");
        assertTrue(hosts.lab.ip("-n", hosts.switchNamespace, "-d", "link", "show", red1.switchLink()).contains("promiscuity 0"));
        assertTrue(HostLab.await(Duration.ofSeconds(2), () -> KernelLab.openFileDescriptors() == descriptors),
            "no descriptor left: " + KernelLab.openFileDescriptors() + " vs " + descriptors);
        assertTrue(log().contains("stopped; every port closed"), log());
    }
}

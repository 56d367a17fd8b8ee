package dev.nsdp.dataplane.port;

import static dev.nsdp.dataplane.port.TestFrames.ETHERTYPE_EXPERIMENTAL;
import static dev.nsdp.dataplane.port.TestFrames.ETHERTYPE_IPV4;
import static dev.nsdp.dataplane.port.TestFrames.ETHERTYPE_IPV6;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.dataplane.buffer.BufferCache;
import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.buffer.PacketVector;
import dev.nsdp.dataplane.counter.DropReason;
import dev.nsdp.dataplane.nativ.Errno;
import dev.nsdp.dataplane.nativ.KernelLab;
import dev.nsdp.dataplane.nativ.KernelNamespace;
import dev.nsdp.dataplane.nativ.NativeException;
import dev.nsdp.dataplane.nativ.PollFd;
import dev.nsdp.dataplane.nativ.Sockets;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PacketSocketPort against real kernel objects: two lab namespaces joined by veth pairs. The port
 * under test sits on a link in namespace "a", which has no addresses; the kernel side is namespace
 * "b", which has addresses in 198.18.0.0/15 and 2001:db8::/32 and a static neighbour
 * entry that points at the port's (pretend) MAC, so the kernel sends to the port without ARP.
 */
class PacketSocketPortTest {
    private static final long PORT_MAC = 0x02_00_5E_12_00_01L;
    private static final long SENDER_MAC = 0x02_00_5E_12_00_02L;
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String RAW_SENDER = """
        import socket, sys
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        s.bind((sys.argv[1], 0))
        for h in sys.argv[2:]:
            s.send(bytes.fromhex(h))
        """;

    private static KernelLab lab;
    private static String nsA;
    private static String nsB;
    private static String linkA;
    private static String linkB;
    private static String bigA;
    private static String bigB;

    private PacketPool pool;
    private BufferCache cache;

    @BeforeAll
    static void createLab() {
        lab = KernelLab.open();
        try {
            nsA = lab.namespace("a");
            nsB = lab.namespace("b");
            // The port's namespace stays silent: no IPv6 autoconfiguration chatter on its links.
            lab.exec(nsA, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
                .checked();
            linkA = lab.link("a");
            linkB = lab.link("b");
            lab.vethPair(nsA, linkA, nsB, linkB);
            final String portMac = TestFrames.macText(PORT_MAC);
            lab.ip("-n", nsB, "addr", "add", "198.18.0.2/24", "dev", linkB);
            lab.ip("-n", nsB, "neigh", "add", "198.18.0.1", "lladdr", portMac, "dev", linkB, "nud", "permanent");
            lab.ip("-n", nsB, "addr", "add", "2001:db8::2/64", "dev", linkB, "nodad");
            lab.ip("-n", nsB, "neigh", "add", "2001:db8::1", "lladdr", portMac, "dev", linkB, "nud", "permanent");
            // A second pair with jumbo MTU, for frames larger than a ring slot.
            bigA = lab.link("ja");
            bigB = lab.link("jb");
            lab.vethPair(nsA, bigA, nsB, bigB);
            lab.ip("-n", nsA, "link", "set", bigA, "mtu", "9000");
            lab.ip("-n", nsB, "link", "set", bigB, "mtu", "9000");
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

    @BeforeEach
    void createPool() {
        pool = new PacketPool(8192);
        cache = pool.newCache(512);
    }

    @AfterEach
    void checkPoolAndClose() {
        cache.flush();
        assertEquals(pool.bufferCount(), pool.globalFree(), "every pool buffer is back (none leaked, none freed twice)");
        pool.close();
    }

    private static PacketSocketOptions inNamespace(final String namespace) {
        return PacketSocketOptions.defaults().withNamespace(KernelNamespace.named(namespace)).withLinkCheckMillis(0);
    }

    private static PacketSocketPort portA() {
        return PacketSocketPort.open(linkA, inNamespace(nsA));
    }

    private static void sendRaw(final String namespace, final String link, final List<byte[]> frames) {
        final List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "-c", RAW_SENDER, link));
        for (final byte[] frame : frames) {
            command.add(HexFormat.of().formatHex(frame));
        }
        lab.exec(namespace, command.toArray(String[]::new)).checked();
    }

    private static Predicate<byte[]> from(final long mac) {
        return frame -> TestFrames.sourceMac(frame) == mac;
    }

    @Test
    void opensOnALinkInAnotherKernelNamespace() {
        try (PacketSocketPort port = portA()) {
            final int index = KernelNamespace.named(nsA).call(() -> Sockets.ifNameToIndex(linkA));
            assertEquals(index, port.ifindex());
            assertEquals(linkA, port.name());
            assertTrue(port.pollFd() >= 0);
            assertTrue(port.isLinkUp());
            assertTrue(lab.ip("-n", nsA, "-d", "link", "show", linkA).contains("promiscuity 1"),
                "PACKET_MR_PROMISC membership puts the link in promiscuous mode");
        }
        assertTrue(lab.ip("-n", nsA, "-d", "link", "show", linkA).contains("promiscuity 0"),
            "closing the socket drops the membership");
    }

    @Test
    void framesTheKernelSendsArriveByteExact() {
        final List<byte[]> sent = new ArrayList<>();
        final int[] lengths = {60, 61, 64, 128, 333, 1000, 1513, 1514};
        for (int i = 0; i < lengths.length; i++) {
            sent.add(TestFrames.ethernet(0x02_00_5E_00_00_99L, SENDER_MAC, ETHERTYPE_EXPERIMENTAL, lengths[i], i));
        }
        sent.add(TestFrames.ethernet(0xFF_FF_FF_FF_FF_FFL, SENDER_MAC, ETHERTYPE_EXPERIMENTAL, 100, 100));
        sent.add(TestFrames.ethernet(0x01_00_5E_01_02_03L, SENDER_MAC, ETHERTYPE_EXPERIMENTAL, 100, 101));
        try (PacketSocketPort port = portA()) {
            sendRaw(nsB, linkB, sent);
            final List<byte[]> received = TestFrames.receive(port, cache, sent.size(), WAIT, from(SENDER_MAC));
            assertEquals(sent.size(), received.size());
            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i), received.get(i), "frame " + i);
            }
            assertTrue(port.counters().rxFrames() >= sent.size());
        }
    }

    @Test
    void burstsLargerThanAVectorArriveInOrder() {
        final List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            sent.add(TestFrames.ethernet(0x02_00_5E_00_00_99L, SENDER_MAC, ETHERTYPE_EXPERIMENTAL, 60 + i, i));
        }
        try (PacketSocketPort port = portA()) {
            sendRaw(nsB, linkB, sent);
            final List<byte[]> received = TestFrames.receive(port, cache, sent.size(), WAIT, from(SENDER_MAC));
            assertEquals(sent.size(), received.size());
            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i), received.get(i), "frame " + i);
            }
        }
    }

    @Test
    void theKernelsPingIsAnsweredThroughThePort() throws Exception {
        try (PacketSocketPort port = portA()) {
            final Process ping = lab.start(nsB, "ping", "-n", "-c", "1", "-W", "5", "198.18.0.1");
            final List<byte[]> requests = TestFrames.receive(port, cache, 1, WAIT, TestFrames::isIcmpEchoRequest);
            assertEquals(1, requests.size(), "echo request from the kernel");
            final byte[] request = requests.getFirst();
            assertEquals(PORT_MAC, TestFrames.macAt(request, 0));
            assertTrue(TestFrames.l4ChecksumValid(request));
            TestFrames.transmit(port, cache, List.of(TestFrames.icmpEchoReply(request, PORT_MAC)), WAIT);
            assertTrue(ping.waitFor(10, TimeUnit.SECONDS), "ping finished");
            assertEquals(0, ping.exitValue(), "the kernel accepted the reply: " + new String(ping.getInputStream().readAllBytes()));
        }
    }

    @Test
    void transmittedFramesArriveOnThePeerByteExactAndAreNotLoopedBack() {
        final List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            sent.add(TestFrames.ethernet(0x02_00_5E_00_00_99L, PORT_MAC, ETHERTYPE_EXPERIMENTAL, 60 + (i * 97) % 1455, i));
        }
        final long peerRxBefore = lab.statistic(nsB, linkB, "rx_packets");
        try (PacketSocketPort port = portA();
             PacketSocketPort peer = PacketSocketPort.open(linkB, inNamespace(nsB))) {
            TestFrames.transmit(port, cache, sent, WAIT);
            final List<byte[]> received = TestFrames.receive(peer, cache, sent.size(), WAIT, from(PORT_MAC));
            assertEquals(sent.size(), received.size());
            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i), received.get(i), "frame " + i);
            }
            assertEquals(sent.size(), port.counters().txFrames());
            assertTrue(lab.statistic(nsB, linkB, "rx_packets") - peerRxBefore >= sent.size());
            // Nothing the port sent comes back to it.
            assertEquals(List.of(), TestFrames.receive(port, cache, 1, Duration.ofMillis(200), from(PORT_MAC)));
            // ... nor does the peer see its own transmissions.
            TestFrames.transmit(peer, cache, List.of(TestFrames.ethernet(PORT_MAC, SENDER_MAC, ETHERTYPE_EXPERIMENTAL, 80, 1)), WAIT);
            assertEquals(1, TestFrames.receive(port, cache, 1, WAIT, from(SENDER_MAC)).size());
            assertEquals(List.of(), TestFrames.receive(peer, cache, 1, Duration.ofMillis(200), from(SENDER_MAC)));
        }
    }

    @Test
    void qdiscBypassTransmitsToo() {
        final List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sent.add(TestFrames.ethernet(0x02_00_5E_00_00_99L, PORT_MAC, ETHERTYPE_EXPERIMENTAL, 100 + i, i));
        }
        try (PacketSocketPort port = PacketSocketPort.open(linkA, inNamespace(nsA).withQdiscBypass(true));
             PacketSocketPort peer = PacketSocketPort.open(linkB, inNamespace(nsB))) {
            TestFrames.transmit(port, cache, sent, WAIT);
            final List<byte[]> received = TestFrames.receive(peer, cache, sent.size(), WAIT, from(PORT_MAC));
            assertEquals(sent.size(), received.size());
            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i), received.get(i), "frame " + i);
            }
        }
    }

    @Test
    void aFullTransmitRingTakesFewerFramesAndSaysHowMany() {
        final List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add(TestFrames.ethernet(0x02_00_5E_00_00_99L, PORT_MAC, ETHERTYPE_EXPERIMENTAL, 200, i));
        }
        try (PacketSocketPort port = PacketSocketPort.open(linkA, inNamespace(nsA).withTxFrames(8));
             PacketSocketPort peer = PacketSocketPort.open(linkB, inNamespace(nsB))) {
            final PacketVector vector = new PacketVector();
            for (final byte[] frame : sent) {
                vector.add(TestFrames.toPool(cache, frame), 0);
            }
            assertEquals(8, port.transmit(vector, cache), "an empty 8-slot ring takes 8 of 20");
            vector.removeFirst(8);
            for (int round = 0; vector.count() > 0 && round < 1000; round++) {
                vector.removeFirst(port.transmit(vector, cache));
                if (vector.count() > 0) {
                    TestFrames.pause();
                }
            }
            assertEquals(0, vector.count());
            final List<byte[]> received = TestFrames.receive(peer, cache, sent.size(), WAIT, from(PORT_MAC));
            assertEquals(sent.size(), received.size());
            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i), received.get(i), "frame " + i);
            }
        }
    }

    @Test
    void vlanTagsTheKernelStrippedArePutBack() {
        // Raw tagged frames: the receiving veth moves the outer tag out of band; the port must restore
        // it bit for bit (priority and DEI too), for 802.1Q and for 802.1ad outer tags.
        final byte[] dot1q = TestFrames.ethernet(0x02_00_5E_00_00_99L, SENDER_MAC, 0x8100, 120, 0);
        dot1q[14] = (byte) 0xB0; // PCP 5, DEI 1, VID 100
        dot1q[15] = 0x64;
        dot1q[16] = (byte) 0x88;
        dot1q[17] = (byte) 0xB5;
        final byte[] qinq = TestFrames.ethernet(0x02_00_5E_00_00_99L, SENDER_MAC, 0x88A8, 120, 0);
        qinq[14] = 0x00; // outer VID 200
        qinq[15] = (byte) 0xC8;
        qinq[16] = (byte) 0x81; // inner 802.1Q VID 7
        qinq[17] = 0x00;
        qinq[18] = 0x00;
        qinq[19] = 0x07;
        qinq[20] = (byte) 0x88;
        qinq[21] = (byte) 0xB5;
        try (PacketSocketPort port = portA()) {
            sendRaw(nsB, linkB, List.of(dot1q, qinq));
            final List<byte[]> received = TestFrames.receive(port, cache, 2, WAIT, from(SENDER_MAC));
            assertEquals(2, received.size());
            assertArrayEquals(dot1q, received.get(0));
            assertArrayEquals(qinq, received.get(1));
            assertEquals(2, port.counters().vlanTagsRestored(), "the kernel had stripped both outer tags");
        }
    }

    @Test
    void partialChecksumsFromTheKernelAreCompleted() {
        try (PacketSocketPort port = portA()) {
            // UDP over IPv4, TCP (a SYN) over IPv4, UDP over IPv6: all CHECKSUM_PARTIAL on a veth with
            // default offloads. (This kernel has no 802.1Q devices, so the VLAN case is PartialChecksumTest's.)
            lab.exec(nsB, "bash", "-c", "echo nsdp-udp4 > /dev/udp/198.18.0.1/4000").checked();
            lab.exec(nsB, "timeout", "1", "bash", "-c", "exec 3<>/dev/tcp/198.18.0.1/4001");
            lab.exec(nsB, "bash", "-c", "echo nsdp-udp6 > /dev/udp/2001:db8::1/4002").checked();
            final List<byte[]> frames = TestFrames.receive(port, cache, 3, WAIT, frame -> {
                final int protocol = TestFrames.ipProtocol(frame);
                return protocol == 6 || protocol == 17;
            });
            assertEquals(3, frames.size());
            assertEquals(ETHERTYPE_IPV4, TestFrames.etherType(frames.get(0)));
            assertEquals(17, TestFrames.ipProtocol(frames.get(0)));
            assertEquals(6, TestFrames.ipProtocol(frames.get(1)));
            assertEquals(ETHERTYPE_IPV6, TestFrames.etherType(frames.get(2)));
            for (final byte[] frame : frames) {
                assertTrue(TestFrames.l4ChecksumValid(frame), HexFormat.of().formatHex(frame));
            }
            assertEquals(3, port.counters().checksumsCompleted(), "the kernel marked all three partial");
            assertEquals(0, port.counters().checksumsUnresolved());
        }
    }

    @Test
    void framesLargerThanASlotAreCountedAndDropped() {
        final byte[] jumbo = TestFrames.ethernet(0x02_00_5E_00_00_99L, SENDER_MAC, ETHERTYPE_EXPERIMENTAL, 4000, 1);
        final byte[] normal = TestFrames.ethernet(0x02_00_5E_00_00_99L, SENDER_MAC, ETHERTYPE_EXPERIMENTAL, 1500, 2);
        try (PacketSocketPort port = PacketSocketPort.open(bigA, inNamespace(nsA));
             PacketSocketPort peer = PacketSocketPort.open(bigB, inNamespace(nsB))) {
            sendRaw(nsB, bigB, List.of(jumbo, normal));
            final List<byte[]> received = TestFrames.receive(port, cache, 1, WAIT, from(SENDER_MAC));
            assertEquals(1, received.size());
            assertArrayEquals(normal, received.getFirst(), "the ring carries on after the dropped frame");
            assertEquals(1, port.counters().drops(DropReason.RX_FRAME_TOO_LONG));

            // Transmit: a frame larger than a TX slot is taken, counted and freed, and the rest still go.
            try (PacketPool bigPool = new PacketPool(16, 8192, 64)) {
                final BufferCache bigCache = bigPool.newCache(4);
                final PacketVector vector = new PacketVector();
                vector.add(TestFrames.toPool(bigCache, TestFrames.ethernet(0x02_00_5E_00_00_99L, PORT_MAC,
                    ETHERTYPE_EXPERIMENTAL, 3000, 3)), 0);
                final byte[] fits = TestFrames.ethernet(0x02_00_5E_00_00_99L, PORT_MAC, ETHERTYPE_EXPERIMENTAL, 1400, 4);
                vector.add(TestFrames.toPool(bigCache, fits), 0);
                assertEquals(2, port.transmit(vector, bigCache));
                assertEquals(1, port.counters().drops(DropReason.TX_FRAME_TOO_LONG));
                assertEquals(1, port.counters().txFrames());
                assertArrayEquals(fits, TestFrames.receive(peer, cache, 1, WAIT, from(PORT_MAC)).getFirst());
                bigCache.flush();
                assertEquals(bigPool.bufferCount(), bigPool.globalFree());
            }
        }
    }

    @Test
    void linkStateFollowsTheKernel() throws Exception {
        final String linkE = lab.link("e");
        final String linkF = lab.link("f");
        lab.vethPair(nsA, linkE, nsB, linkF);
        try (Arena arena = Arena.ofConfined();
             PacketSocketPort port = PacketSocketPort.open(linkE, inNamespace(nsA))) {
            assertTrue(port.isLinkUp());
            lab.ip("-n", nsB, "link", "set", linkF, "down");
            assertTrue(KernelLab.await(WAIT, () -> !port.isLinkUp()), "peer down: no carrier");
            lab.ip("-n", nsB, "link", "set", linkF, "up");
            assertTrue(KernelLab.await(WAIT, port::isLinkUp), "peer up again");

            // Our own link going down posts ENETDOWN on the socket: poll() reports POLLERR until
            // isLinkUp() has read the error, so an idle worker does not spin on it.
            lab.ip("-n", nsA, "link", "set", linkE, "down");
            final PollFd poll = new PollFd(arena, 1);
            poll.add(port.pollFd(), PollFd.POLLIN);
            assertEquals(1, poll.poll(1000));
            assertTrue((poll.revents(0) & PollFd.POLLERR) != 0);
            assertFalse(port.isLinkUp());
            assertEquals(0, poll.poll(0), "error consumed");

            // Transmitting on a down link fails the kick, which is counted, and takes nothing down with it.
            TestFrames.transmit(port, cache, List.of(TestFrames.ethernet(0x02_00_5E_00_00_99L, PORT_MAC,
                ETHERTYPE_EXPERIMENTAL, 100, 1)), WAIT);
            assertEquals(1, port.counters().txKickErrors());

            lab.ip("-n", nsA, "link", "set", linkE, "up");
            assertTrue(KernelLab.await(WAIT, port::isLinkUp), "own link up again");

            lab.ip("-n", nsA, "link", "del", linkE);
            assertTrue(KernelLab.await(WAIT, () -> !port.isLinkUp()), "link deleted");
        }
    }

    @Test
    void aMissingLinkOrNamespaceIsAClearError() {
        final String missing = lab.link("zz");
        final NativeException noLink = assertThrows(NativeException.class,
            () -> PacketSocketPort.open(missing, inNamespace(nsA)));
        assertEquals(Errno.ENODEV, noLink.errno());
        assertTrue(noLink.getMessage().contains("link '" + missing + "' not found in kernel namespace '" + nsA + "'"),
            noLink.getMessage());

        final String noSuchNamespace = "nsdpt-" + lab.id() + "-gone";
        final NativeException noNamespace = assertThrows(NativeException.class,
            () -> PacketSocketPort.open(linkA, inNamespace(nsA).withNamespace(KernelNamespace.named(noSuchNamespace))));
        assertEquals(Errno.ENOENT, noNamespace.errno());
        assertTrue(noNamespace.getMessage().contains("ip netns add " + noSuchNamespace), noNamespace.getMessage());

        assertThrows(IllegalArgumentException.class, () -> PacketSocketOptions.defaults().withFrameSize(3000));
        assertThrows(IllegalArgumentException.class, () -> PacketSocketOptions.defaults().withRxFrames(1001));
        assertThrows(IllegalArgumentException.class,
            () -> PacketSocketPort.open("bad/name", inNamespace(nsA)));
    }

    @Test
    void closeLeavesNoDescriptorsAndNoMappings() {
        portA().close(); // load every class once, so the counts below see only the ports
        final int descriptors = KernelLab.openFileDescriptors();
        final long mappings = KernelLab.socketMappings();
        final List<PacketSocketPort> ports = new ArrayList<>();
        try {
            ports.add(portA());
            ports.add(PacketSocketPort.open(linkB, inNamespace(nsB)));
            ports.add(PacketSocketPort.open(linkA, inNamespace(nsA).withRxFrames(64).withTxFrames(64)));
            assertEquals(descriptors + 3, KernelLab.awaitOpenFileDescriptors(descriptors + 3));
            assertEquals(mappings + 3, KernelLab.socketMappings());
        } finally {
            ports.forEach(PacketSocketPort::close);
        }
        assertEquals(descriptors, KernelLab.awaitOpenFileDescriptors(descriptors));
        assertEquals(mappings, KernelLab.socketMappings());

        final PacketSocketPort closed = ports.getFirst();
        closed.close(); // idempotent
        assertTrue(closed.isClosed());
        assertThrows(IllegalStateException.class, () -> closed.receive(new PacketVector(), 0, cache),
            "a closed port's ring is gone: using it is an error, not a crash");
    }

    @Test
    void steadyStateReceiveAndTransmitAllocateNothing() {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final byte[] frame = TestFrames.ethernet(0x02_00_5E_00_00_99L, PORT_MAC, ETHERTYPE_EXPERIMENTAL, 128, 1);
        try (PacketSocketPort port = portA();
             PacketSocketPort peer = PacketSocketPort.open(linkB, inNamespace(nsB))) {
            final PacketVector out = new PacketVector(32);
            final PacketVector in = new PacketVector();
            final long[] moved = new long[1];
            final Runnable round = () -> {
                while (!out.isFull()) {
                    final long d = cache.allocateDescriptor();
                    pool.view().putBytes(pool.offsetOf(d), frame);
                    out.add(dev.nsdp.dataplane.buffer.Descriptor.withLength(d, frame.length), 0);
                }
                final int taken = port.transmit(out, cache);
                out.removeFirst(taken);
                in.clear();
                moved[0] += peer.receive(in, 0, cache);
                in.freeAll(cache);
                port.isLinkUp();
            };
            for (int i = 0; i < 10_000; i++) {
                round.run();
            }
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 5_000; i++) {
                round.run();
            }
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            out.freeAll(cache);
            assertTrue(moved[0] > 400_000, "frames moved: " + moved[0]);
            assertEquals(0, allocated, "bytes allocated in 5,000 bursts of 32 frames: transmit + receive + link check");
        }
    }
}

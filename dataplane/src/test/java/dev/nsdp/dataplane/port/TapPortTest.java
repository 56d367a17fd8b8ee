package dev.nsdp.dataplane.port;

import static dev.nsdp.dataplane.port.TestFrames.ETHERTYPE_EXPERIMENTAL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import dev.nsdp.dataplane.nativ.Sockets;
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
 * TapPort against real TAP devices created in a lab namespace. The kernel side is that namespace's
 * stack on the tap (address 198.18.4.1/24, and a static neighbour pointing 198.18.4.2 at the port's
 * pretend MAC); the port plays the wire.
 */
class TapPortTest {
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
    private static String ns;
    private static KernelNamespace namespace;

    private PacketPool pool;
    private BufferCache cache;

    @BeforeAll
    static void createLab() {
        lab = KernelLab.open();
        ns = lab.namespace("t");
        namespace = KernelNamespace.named(ns);
        lab.exec(ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
            .checked();
    }

    @AfterAll
    static void removeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @BeforeEach
    void createPool() {
        pool = new PacketPool(4096);
        cache = pool.newCache(256);
    }

    @AfterEach
    void checkPool() {
        cache.flush();
        assertEquals(pool.bufferCount(), pool.globalFree(), "every pool buffer is back");
        pool.close();
    }

    /** Opens a new tap in the lab namespace, up, with an address and a neighbour entry for the port. */
    private static TapPort openConfigured(final String tap) {
        final TapPort port = TapPort.open(tap, namespace, 0);
        try {
            lab.ip("-n", ns, "link", "set", tap, "up");
            lab.ip("-n", ns, "addr", "add", "198.18.4.1/24", "dev", tap);
            lab.ip("-n", ns, "neigh", "add", "198.18.4.2", "lladdr", TestFrames.macText(PORT_MAC), "dev", tap,
                "nud", "permanent");
            return port;
        } catch (final RuntimeException e) {
            port.close();
            throw e;
        }
    }

    private static boolean linkExists(final String tap) {
        return KernelLab.run("ip", "-n", ns, "link", "show", tap).exitCode() == 0;
    }

    private static Predicate<byte[]> from(final long mac) {
        return frame -> TestFrames.sourceMac(frame) == mac;
    }

    @Test
    void createsTheTapInTheNamespaceAndRemovesItOnClose() {
        final String tap = lab.link("c");
        final int descriptors = KernelLab.openFileDescriptors();
        try (TapPort port = TapPort.open(tap, namespace, 0)) {
            assertEquals(descriptors + 2, KernelLab.awaitOpenFileDescriptors(descriptors + 2),
                "the tap and its control socket");
            assertEquals(1, KernelLab.openFileDescriptorsTo("/dev/net/tun"));
            assertTrue(port.created());
            assertEquals(tap, port.name());
            assertTrue(port.pollFd() >= 0);
            assertTrue(linkExists(tap));
            assertTrue(lab.ip("-n", ns, "-d", "link", "show", tap).contains("tun type tap"));
            assertEquals(port.ifindex(), (int) namespace.call(() -> Sockets.ifNameToIndex(tap)));
            assertTrue(Sockets.ifNameToIndex(tap) < 0, "not in the caller's namespace");
            assertFalse(port.isLinkUp(), "administratively down until someone sets it up");
            lab.ip("-n", ns, "link", "set", tap, "up");
            assertTrue(KernelLab.await(WAIT, port::isLinkUp));
        }
        assertFalse(linkExists(tap), "a tap the port created goes away with it");
        assertEquals(0, KernelLab.openFileDescriptorsTo("/dev/net/tun"));
        assertEquals(descriptors, KernelLab.awaitOpenFileDescriptors(descriptors));
    }

    @Test
    void theKernelsPingIsAnsweredThroughTheTap() throws Exception {
        final String tap = lab.link("p");
        try (TapPort port = openConfigured(tap)) {
            final long kernelRxBefore = lab.statistic(ns, tap, "rx_packets");
            final Process ping = lab.start(ns, "ping", "-n", "-c", "1", "-W", "5", "198.18.4.2");
            final List<byte[]> requests = TestFrames.receive(port, cache, 1, WAIT, TestFrames::isIcmpEchoRequest);
            assertEquals(1, requests.size(), "echo request from the kernel");
            final byte[] request = requests.getFirst();
            assertEquals(PORT_MAC, TestFrames.macAt(request, 0));
            assertTrue(TestFrames.l4ChecksumValid(request));
            TestFrames.transmit(port, cache, List.of(TestFrames.icmpEchoReply(request, PORT_MAC)), WAIT);
            assertTrue(ping.waitFor(10, TimeUnit.SECONDS), "ping finished");
            assertEquals(0, ping.exitValue(), "the kernel accepted the reply: " + new String(ping.getInputStream().readAllBytes()));
            assertEquals(1, port.counters().txFrames());
            assertTrue(lab.statistic(ns, tap, "rx_packets") > kernelRxBefore);
        }
    }

    @Test
    void framesCrossTheTapByteExactBothWays() {
        final String tap = lab.link("x");
        final List<byte[]> toPort = new ArrayList<>();
        final List<byte[]> toKernel = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            toPort.add(TestFrames.ethernet(PORT_MAC, SENDER_MAC, ETHERTYPE_EXPERIMENTAL, 60 + i * 37, i));
            toKernel.add(TestFrames.ethernet(SENDER_MAC, PORT_MAC, ETHERTYPE_EXPERIMENTAL, 1514 - i * 37, i));
        }
        try (TapPort port = openConfigured(tap);
             PacketSocketPort capture = PacketSocketPort.open(tap, PacketSocketOptions.defaults().withNamespace(namespace))) {
            final List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "-c", RAW_SENDER, tap));
            toPort.forEach(frame -> command.add(HexFormat.of().formatHex(frame)));
            lab.exec(ns, command.toArray(String[]::new)).checked();
            final List<byte[]> received = TestFrames.receive(port, cache, toPort.size(), WAIT, from(SENDER_MAC));
            assertEquals(toPort.size(), received.size());
            for (int i = 0; i < toPort.size(); i++) {
                assertArrayEquals(toPort.get(i), received.get(i), "kernel to port, frame " + i);
            }

            TestFrames.transmit(port, cache, toKernel, WAIT);
            final List<byte[]> captured = TestFrames.receive(capture, cache, toKernel.size(), WAIT, from(PORT_MAC));
            assertEquals(toKernel.size(), captured.size());
            for (int i = 0; i < toKernel.size(); i++) {
                assertArrayEquals(toKernel.get(i), captured.get(i), "port to kernel, frame " + i);
            }
            assertEquals(toKernel.size(), port.counters().txFrames());
            assertEquals(toPort.size(), port.counters().rxFrames());
        }
    }

    @Test
    void oversizedFramesAreDroppedAndADownTapRefusesFrames() {
        final String tap = lab.link("j");
        try (TapPort port = openConfigured(tap)) {
            lab.ip("-n", ns, "link", "set", tap, "mtu", "9000");
            final byte[] jumbo = TestFrames.ethernet(PORT_MAC, SENDER_MAC, ETHERTYPE_EXPERIMENTAL, 3000, 1);
            final byte[] normal = TestFrames.ethernet(PORT_MAC, SENDER_MAC, ETHERTYPE_EXPERIMENTAL, 1000, 2);
            lab.exec(ns, "/usr/bin/python3", "-c", RAW_SENDER, tap, HexFormat.of().formatHex(jumbo),
                HexFormat.of().formatHex(normal)).checked();
            final List<byte[]> received = TestFrames.receive(port, cache, 1, WAIT, from(SENDER_MAC));
            assertArrayEquals(normal, received.getFirst());
            assertEquals(1, port.counters().drops(DropReason.RX_FRAME_TOO_LONG));

            lab.ip("-n", ns, "link", "set", tap, "down");
            final PacketVector vector = new PacketVector();
            vector.add(TestFrames.toPool(cache, normal), 0);
            assertEquals(1, port.transmit(vector, cache), "taken and dropped");
            assertEquals(1, port.counters().drops(DropReason.TX_ERROR));
            assertFalse(port.isLinkUp());
        }
    }

    @Test
    void attachesToAPersistentTapAndLeavesItInPlace() {
        final String tap = lab.link("k");
        lab.ip("-n", ns, "tuntap", "add", "dev", tap, "mode", "tap");
        try {
            try (TapPort port = TapPort.open(tap, namespace, 0)) {
                assertFalse(port.created());
                final NativeException busy = assertThrows(NativeException.class, () -> TapPort.open(tap, namespace));
                assertEquals(Errno.EBUSY, busy.errno());
                assertTrue(busy.getMessage().contains("already held"), busy.getMessage());
            }
            assertTrue(linkExists(tap), "a persistent tap outlives the port");
        } finally {
            lab.ip("-n", ns, "tuntap", "del", "dev", tap, "mode", "tap");
        }
    }

    @Test
    void clearErrors() {
        final NativeException notATap = assertThrows(NativeException.class, () -> TapPort.open("lo", namespace));
        assertEquals(Errno.EINVAL, notATap.errno());
        assertTrue(notATap.getMessage().contains("a link named 'lo' exists and is not a TAP"), notATap.getMessage());

        final String gone = "nsdpt-" + lab.id() + "-gone";
        final NativeException noNamespace = assertThrows(NativeException.class,
            () -> TapPort.open(lab.link("g"), KernelNamespace.named(gone)));
        assertEquals(Errno.ENOENT, noNamespace.errno());
        assertTrue(noNamespace.getMessage().contains("ip netns add " + gone));

        assertThrows(IllegalArgumentException.class, () -> TapPort.open("much-too-long-name", namespace));
        assertNotEquals(0, KernelLab.run("ip", "-n", ns, "link", "show", lab.link("g")).exitCode());
    }

    @Test
    void aClosedPortMovesNothing() {
        final TapPort port = TapPort.open(lab.link("z"), namespace, 0);
        port.close();
        port.close();
        assertTrue(port.isClosed());
        final PacketVector vector = new PacketVector();
        assertEquals(0, port.receive(vector, 0, cache));
        vector.add(TestFrames.toPool(cache, TestFrames.ethernet(SENDER_MAC, PORT_MAC, ETHERTYPE_EXPERIMENTAL, 64, 0)), 0);
        assertEquals(0, port.transmit(vector, cache));
        vector.freeAll(cache);
        assertFalse(port.isLinkUp());
    }

    @Test
    void steadyStateReceiveAndTransmitAllocateNothing() {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        final byte[] frame = TestFrames.ethernet(SENDER_MAC, PORT_MAC, ETHERTYPE_EXPERIMENTAL, 128, 1);
        final String tap = lab.link("m");
        // The port writes into the tap; a packet socket on the tap turns each frame around and sends it
        // back out of the tap, where the port reads it again.
        try (TapPort port = openConfigured(tap);
             PacketSocketPort mirror = PacketSocketPort.open(tap, PacketSocketOptions.defaults().withNamespace(namespace))) {
            final PacketVector out = new PacketVector(32);
            final PacketVector turned = new PacketVector();
            final PacketVector back = new PacketVector();
            final long[] returned = new long[1];
            final Runnable round = () -> {
                while (!out.isFull()) {
                    final long d = cache.allocateDescriptor();
                    pool.view().putBytes(pool.offsetOf(d), frame);
                    out.add(dev.nsdp.dataplane.buffer.Descriptor.withLength(d, frame.length), 0);
                }
                out.removeFirst(port.transmit(out, cache));
                mirror.receive(turned, 0, cache);
                turned.removeFirst(mirror.transmit(turned, cache));
                back.clear();
                returned[0] += port.receive(back, 0, cache);
                back.freeAll(cache);
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
            turned.freeAll(cache);
            assertTrue(returned[0] > 400_000, "frames that made the round trip: " + returned[0]);
            assertEquals(0, allocated, "bytes allocated in 5,000 rounds of 32 frames through the tap and back");
        }
    }
}

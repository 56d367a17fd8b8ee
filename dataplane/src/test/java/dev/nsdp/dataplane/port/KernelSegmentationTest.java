package dev.nsdp.dataplane.port;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.dataplane.buffer.BufferCache;
import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.buffer.PacketVector;
import dev.nsdp.dataplane.nativ.KernelLab;
import dev.nsdp.dataplane.nativ.KernelNamespace;
import dev.nsdp.dataplane.nativ.VirtioNetHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The port's segmentation against the kernel's own. One super-frame (a virtio-net header with GSO
 * type and size, then the frame) is sent twice from a packet socket in namespace "tx":
 * <ul>
 * <li>on a veth with segmentation and checksum offload turned off: the kernel segments it in
 *     software and computes every checksum; a port on the peer receives the kernel's segments;</li>
 * <li>on a veth with default offloads: the super-frame crosses whole, and a port on the peer
 *     segments it (reading it through PACKET_COPY_THRESH, as from a real TCP sender).</li>
 * </ul>
 * Both lists must be the same, byte for byte, and equal to {@link SuperFrames#expectedSegments}.
 */
class KernelSegmentationTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int MSS = 1448;
    /** 1500 - 40 (IPv6) - 32 (TCP with timestamps): larger segments would exceed the veth's MTU, and it drops them. */
    private static final int MSS_V6 = 1428;
    /** Sends each record of a file (4-byte little-endian length, then a virtio-net header and a frame). */
    private static final String VNET_SENDER = """
        import socket, struct, sys
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        s.setsockopt(263, 15, 1)  # SOL_PACKET, PACKET_VNET_HDR
        s.bind((sys.argv[1], 0))
        data = open(sys.argv[2], 'rb').read()
        at = 0
        while at < len(data):
            (n,) = struct.unpack_from('<I', data, at)
            s.send(data[at + 4:at + 4 + n])
            at += 4 + n
        """;

    /** Sends one record over and over for argv[3] seconds at most. */
    private static final String VNET_FLOOD = """
        import socket, struct, sys, time
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        s.setsockopt(263, 15, 1)
        s.bind((sys.argv[1], 0))
        data = open(sys.argv[2], 'rb').read()
        record = data[4:4 + struct.unpack_from('<I', data, 0)[0]]
        deadline = time.time() + float(sys.argv[3])
        while time.time() < deadline:
            for _ in range(16):
                try:
                    s.send(record)
                except OSError:
                    pass
            time.sleep(0.001)
        """;

    private static KernelLab lab;
    private static String nsTx;
    private static String nsRx;
    private static String kernelTx;
    private static String kernelRx;
    private static String offloadTx;
    private static String offloadRx;

    private PacketPool pool;
    private BufferCache cache;

    @BeforeAll
    static void createLab() {
        lab = KernelLab.open();
        try {
            nsTx = lab.namespace("tx");
            nsRx = lab.namespace("rx");
            for (final String ns : List.of(nsTx, nsRx)) {
                lab.exec(ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
                    .checked();
            }
            kernelTx = lab.link("k0");
            kernelRx = lab.link("k1");
            offloadTx = lab.link("o0");
            offloadRx = lab.link("o1");
            lab.vethPair(nsTx, kernelTx, nsRx, kernelRx);
            lab.vethPair(nsTx, offloadTx, nsRx, offloadRx);
            lab.exec(nsTx, "ethtool", "-K", kernelTx, "tx", "off", "tso", "off", "tx-udp-segmentation", "off").checked();
            final String features = lab.exec(nsTx, "ethtool", "-k", kernelTx).checked();
            assertTrue(features.contains("tcp-segmentation-offload: off") && features.contains("tx-checksumming: off"),
                features);
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
        pool = new PacketPool(4096);
        cache = pool.newCache(256);
    }

    @AfterEach
    void checkPool() {
        cache.flush();
        assertEquals(pool.bufferCount(), pool.globalFree());
        pool.close();
    }

    /** A record for {@link #VNET_SENDER}: the virtio-net header of a GSO super-frame and the frame. */
    private static byte[] withVnetHeader(final byte[] frame, final int gsoType, final int gsoSize, final int l4,
                                         final int headerLength, final int checksumOffset) {
        final ByteBuffer b = ByteBuffer.allocate(VirtioNetHeader.SIZE + frame.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) VirtioNetHeader.F_NEEDS_CSUM).put((byte) gsoType).putShort((short) headerLength)
            .putShort((short) gsoSize).putShort((short) l4).putShort((short) checksumOffset).put(frame);
        return b.array();
    }

    private static void send(final String link, final byte[] record) throws IOException {
        final Path file = recordFile(record);
        try {
            lab.exec(nsTx, "/usr/bin/python3", "-c", VNET_SENDER, link, file.toString()).checked();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static Path recordFile(final byte[] record) throws IOException {
        final Path file = Files.createTempFile("nsdp-gso-", ".bin");
        final ByteBuffer b = ByteBuffer.allocate(4 + record.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(record.length).put(record);
        Files.write(file, b.array());
        return file;
    }

    private void compare(final byte[] frame, final int gsoType, final int gsoSize, final int l4, final int headerLength,
                         final int checksumOffset) throws IOException {
        final List<byte[]> expected = SuperFrames.expectedSegments(frame, gsoSize);
        final byte[] record = withVnetHeader(frame, gsoType, gsoSize, l4, headerLength, checksumOffset);
        final PacketSocketOptions options = PacketSocketOptions.defaults().withNamespace(KernelNamespace.named(nsRx));
        try (PacketSocketPort kernelSide = PacketSocketPort.open(kernelRx, options);
             PacketSocketPort portSide = PacketSocketPort.open(offloadRx, options)) {
            send(kernelTx, record);
            final List<byte[]> byKernel = TestFrames.receive(kernelSide, cache, expected.size(), WAIT,
                f -> TestFrames.sourceMac(f) == SuperFrames.SOURCE_MAC);
            send(offloadTx, record);
            final List<byte[]> byPort = TestFrames.receive(portSide, cache, expected.size(), WAIT,
                f -> TestFrames.sourceMac(f) == SuperFrames.SOURCE_MAC);
            assertEquals(expected.size(), byKernel.size(), "segments the kernel made: " + byKernel.stream().map(f -> f.length).toList() + " " + kernelSide.counters());
            assertEquals(expected.size(), byPort.size(), "segments the port made: " + portSide.counters());
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(byKernel.get(i), byPort.get(i), "segment " + i + ": port vs kernel");
                assertArrayEquals(expected.get(i), byPort.get(i), "segment " + i + ": port vs expected");
            }
            assertEquals(0, kernelSide.counters().gsoFrames(), "the kernel segmented: nothing for the port to do");
            assertEquals(1, portSide.counters().gsoFrames(), portSide.counters().toString());
            assertEquals(1, portSide.counters().oversizeCopies(), "read whole from the socket queue");
            assertEquals(expected.size(), portSide.counters().gsoSegments());
            assertEquals(0, portSide.counters().totalDrops(), portSide.counters().toString());
        }
    }

    @Test
    void tcpOverIpv4() throws IOException {
        final byte[] frame = SuperFrames.tcp4(SuperFrames.payload(20_000, 21), 0x1000, 0x7FFF_F000,
            SuperFrames.TCP_ACK | SuperFrames.TCP_PSH | SuperFrames.TCP_CWR, -1);
        compare(frame, VirtioNetHeader.GSO_TCPV4, MSS, 34, 34 + SuperFrames.TCP_HEADER, 16);
    }

    @Test
    void tcpOverIpv6() throws IOException {
        final byte[] frame = SuperFrames.tcp6(SuperFrames.payload(30_001, 22), 42,
            SuperFrames.TCP_ACK | SuperFrames.TCP_PSH | SuperFrames.TCP_FIN, false);
        compare(frame, VirtioNetHeader.GSO_TCPV6, MSS_V6, 54, 54 + SuperFrames.TCP_HEADER, 16);
    }

    @Test
    void vlanTaggedTcpOverIpv4() throws IOException {
        // The receiving veth moves the tag out of band; the port puts it back into every segment.
        final byte[] frame = SuperFrames.tcp4(SuperFrames.payload(9_000, 26), 0x3000, 5,
            SuperFrames.TCP_ACK | SuperFrames.TCP_PSH, 0x2064);
        compare(frame, VirtioNetHeader.GSO_TCPV4, 1400, 38, 38 + SuperFrames.TCP_HEADER, 16);
    }

    @Test
    void udpOverIpv4AndIpv6() throws IOException {
        final byte[] frame4 = SuperFrames.udp4(SuperFrames.payload(12_000, 23), 0x2000);
        compare(frame4, VirtioNetHeader.GSO_UDP_L4, 1400, 34, 42, 6);
        final byte[] frame6 = SuperFrames.udp6(SuperFrames.payload(7_000, 24));
        compare(frame6, VirtioNetHeader.GSO_UDP_L4, 1000, 54, 62, 6);
    }

    @Test
    void aSuperFrameWithMoreSegmentsThanTheVectorTakesIsResumedAcrossReceives() throws IOException {
        final byte[] frame = SuperFrames.tcp4(SuperFrames.payload(20_000, 27), 9, 9, SuperFrames.TCP_ACK, -1);
        final byte[] other = SuperFrames.tcp4(SuperFrames.payload(3_000, 28), 30, 20_009, SuperFrames.TCP_ACK, -1);
        final List<byte[]> expected = new java.util.ArrayList<>(SuperFrames.expectedSegments(frame, MSS));
        expected.addAll(SuperFrames.expectedSegments(other, MSS));
        final PacketSocketOptions options = PacketSocketOptions.defaults().withNamespace(KernelNamespace.named(nsRx));
        try (PacketSocketPort port = PacketSocketPort.open(offloadRx, options)) {
            send(offloadTx, withVnetHeader(frame, VirtioNetHeader.GSO_TCPV4, MSS, 34, 66, 16));
            send(offloadTx, withVnetHeader(other, VirtioNetHeader.GSO_TCPV4, MSS, 34, 66, 16));
            final PacketVector vector = new PacketVector(4);
            final List<byte[]> received = new java.util.ArrayList<>();
            final long deadline = System.nanoTime() + WAIT.toNanos();
            int calls = 0;
            while (received.size() < expected.size() && System.nanoTime() < deadline) {
                vector.clear();
                final int n = port.receive(vector, 0, cache);
                calls++;
                for (int i = 0; i < n; i++) {
                    final byte[] f = TestFrames.fromPool(pool, vector.descriptor(i));
                    if (TestFrames.sourceMac(f) == SuperFrames.SOURCE_MAC) {
                        received.add(f);
                    }
                }
                vector.freeAll(cache);
            }
            assertEquals(expected.size(), received.size(), port.counters().toString());
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i), received.get(i), "segment " + i);
            }
            assertTrue(calls >= (expected.size() + 3) / 4, "at most 4 segments per call: " + calls + " calls");
            assertEquals(2, port.counters().gsoFrames());
            assertEquals(expected.size(), port.counters().gsoSegments());
        }
    }

    @Test
    void steadyStateSegmentationAllocatesNothing() throws IOException {
        // A stream of super-frames read whole from the socket queue, segmented, and sent on: the
        // port's whole GSO path, measured on this thread after it has been compiled.
        final byte[] frame = SuperFrames.tcp4(SuperFrames.payload(10_000, 25), 1, 1, SuperFrames.TCP_ACK, -1);
        final Path file = recordFile(withVnetHeader(frame, VirtioNetHeader.GSO_TCPV4, MSS, 34, 66, 16));
        final PacketSocketOptions options = PacketSocketOptions.defaults().withNamespace(KernelNamespace.named(nsRx))
            .withLinkCheckMillis(0);
        try (PacketSocketPort port = PacketSocketPort.open(offloadRx, options);
             PacketSocketPort out = PacketSocketPort.open(kernelRx, options)) {
            final Process flood = lab.start(nsTx, "/usr/bin/python3", "-c", VNET_FLOOD, offloadTx, file.toString(), "60");
            final PacketVector vector = new PacketVector();
            final Runnable round = () -> {
                vector.clear();
                port.receive(vector, 0, cache);
                vector.removeFirst(out.transmit(vector, cache));
                vector.freeAll(cache);
                port.isLinkUp();
                out.isLinkUp();
            };
            final long deadline = System.nanoTime() + Duration.ofSeconds(50).toNanos();
            final List<SteadyState.Window> windows = SteadyState.windows(round, () -> port.counters().gsoFrames() >= 20_000,
                10_000, 40, () -> port.counters().gsoFrames(), 500, () -> System.nanoTime() < deadline);
            flood.destroy();
            System.out.println("steady state, super-frames: " + windows + " " + port.counters());
            assertTrue(!windows.isEmpty() && windows.getLast().work() >= 500, "super-frames in the last window: " + windows);
            assertEquals(0L, windows.getLast().allocatedBytes(), "bytes allocated receiving, segmenting and sending "
                + "super-frames, in windows of 20,000 rounds until one allocated nothing: " + windows);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}

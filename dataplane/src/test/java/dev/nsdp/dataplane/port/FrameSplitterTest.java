package dev.nsdp.dataplane.port;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.dataplane.buffer.BufferCache;
import dev.nsdp.dataplane.buffer.Descriptor;
import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.buffer.PacketVector;
import dev.nsdp.dataplane.counter.DropReason;
import dev.nsdp.dataplane.nativ.VirtioNetHeader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * FrameSplitter against segments built independently ({@link SuperFrames#expectedSegments}):
 * every byte of every segment, every checksum, and the payload reassembled.
 */
class FrameSplitterTest {
    private static final int ROOM = PacketPool.DEFAULT_BUFFER_SIZE - PacketPool.DEFAULT_HEADROOM;
    private static final int MSS = 1448;
    private static final long NO_TAG = FrameSplitter.NO_TAG;

    private PacketPool pool;
    private BufferCache cache;
    private Arena arena;
    private final FrameSplitter splitter = new FrameSplitter();

    @BeforeEach
    void setUp() {
        pool = new PacketPool(1024);
        cache = pool.newCache(64);
        arena = Arena.ofConfined();
    }

    @AfterEach
    void tearDown() {
        cache.flush();
        assertEquals(pool.bufferCount(), pool.globalFree(), "every buffer back in the pool");
        pool.close();
        arena.close();
    }

    /** The frame in native memory at an odd offset (as in a ring slot or the scratch buffer). */
    private MemorySegment source(final byte[] frame) {
        final MemorySegment memory = arena.allocate(frame.length + 77);
        MemorySegment.copy(frame, 0, memory, java.lang.foreign.ValueLayout.JAVA_BYTE, 77, frame.length);
        return memory;
    }

    private List<byte[]> segment(final byte[] frame, final int gsoType, final int gsoSize, final long tag,
                                 final int vectorCapacity) {
        final MemorySegment memory = source(frame);
        assertEquals(DropReason.NONE,
            splitter.beginSegmentation(memory, 77, frame.length, gsoType, gsoSize, tag, ROOM));
        return drain(vectorCapacity);
    }

    private List<byte[]> drain(final int vectorCapacity) {
        final List<byte[]> pieces = new ArrayList<>();
        final PacketVector vector = new PacketVector(vectorCapacity);
        for (int round = 0; splitter.pending() && round < 10_000; round++) {
            vector.clear();
            final int n = splitter.emit(vector, 3, cache);
            assertEquals(vector.count(), n);
            long bytes = 0;
            for (int i = 0; i < n; i++) {
                assertEquals(3, vector.port(i));
                pieces.add(TestFrames.fromPool(pool, vector.descriptor(i)));
                bytes += Descriptor.length(vector.descriptor(i));
            }
            assertEquals(bytes, splitter.emittedBytes());
            vector.freeAll(cache);
        }
        assertFalse(splitter.pending());
        return pieces;
    }

    private static void assertSegments(final List<byte[]> expected, final List<byte[]> actual) {
        assertEquals(expected.size(), actual.size(), "segment count");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "segment " + i + " of " + expected.size()
                + "\nexpected " + HexFormat.of().formatHex(expected.get(i), 0, Math.min(96, expected.get(i).length))
                + "\nactual   " + HexFormat.of().formatHex(actual.get(i), 0, Math.min(96, actual.get(i).length)));
            assertTrue(TestFrames.l4ChecksumValid(actual.get(i)), "L4 checksum of segment " + i);
            if (TestFrames.etherType(actual.get(i)) == TestFrames.ETHERTYPE_IPV4) {
                assertTrue(SuperFrames.ipv4HeaderChecksumValid(actual.get(i)), "IPv4 header checksum of segment " + i);
            }
            assertTrue(actual.get(i).length <= ROOM);
        }
    }

    @Test
    void tcpOverIpv4IsSegmentedByteForByte() {
        final byte[] payload = SuperFrames.payload(20_000, 1);
        // Sequence number wraps inside the super-frame; FIN, PSH and CWR test the flag rules.
        final byte[] frame = SuperFrames.tcp4(payload, 0xFFFE, 0xFFFF_E000,
            SuperFrames.TCP_ACK | SuperFrames.TCP_PSH | SuperFrames.TCP_FIN | SuperFrames.TCP_CWR, -1);
        final List<byte[]> segments = segment(frame, VirtioNetHeader.GSO_TCPV4, MSS, NO_TAG, 256);
        assertEquals(14, segments.size());
        assertSegments(SuperFrames.expectedSegments(frame, MSS), segments);
        assertArrayEquals(payload, SuperFrames.reassembledPayload(segments));
        final byte[] first = segments.getFirst();
        final byte[] last = segments.getLast();
        assertEquals(SuperFrames.TCP_ACK | SuperFrames.TCP_CWR, first[14 + 20 + 13] & 0xFF, "CWR on the first only");
        assertEquals(SuperFrames.TCP_ACK | SuperFrames.TCP_PSH | SuperFrames.TCP_FIN, last[14 + 20 + 13] & 0xFF,
            "FIN and PSH on the last only");
        assertEquals(0xFFFE, TestFrames.u16(first, 14 + 4));
        assertEquals(0x0000, TestFrames.u16(segments.get(2), 14 + 4), "IPv4 id counts on and wraps");
        assertEquals(0xFFFF_E000 + MSS, SuperFrames.u32(segments.get(1), 14 + 20 + 4));
    }

    @Test
    void tcpOverIpv6IsSegmentedByteForByte() {
        final byte[] payload = SuperFrames.payload(30_001, 2);
        final byte[] frame = SuperFrames.tcp6(payload, 12345, SuperFrames.TCP_ACK | SuperFrames.TCP_PSH, false);
        final List<byte[]> segments = segment(frame, VirtioNetHeader.GSO_TCPV6, 1428, NO_TAG, 256);
        assertEquals(22, segments.size());
        assertSegments(SuperFrames.expectedSegments(frame, 1428), segments);
        assertArrayEquals(payload, SuperFrames.reassembledPayload(segments));
    }

    @Test
    void tcpOverIpv6WithAHopByHopHeader() {
        final byte[] payload = SuperFrames.payload(5000, 3);
        final byte[] frame = SuperFrames.tcp6(payload, 7, SuperFrames.TCP_ACK, true);
        final List<byte[]> segments = segment(frame, VirtioNetHeader.GSO_TCPV6, 1000, NO_TAG, 256);
        assertEquals(5, segments.size());
        assertSegments(SuperFrames.expectedSegments(frame, 1000), segments);
    }

    @Test
    void theOutOfBandVlanTagIsPutBackIntoEverySegment() {
        final byte[] payload = SuperFrames.payload(6000, 4);
        final int tci = 0xA064; // PCP 5, VID 100
        final byte[] tagged = SuperFrames.tcp4(payload, 1, 1, SuperFrames.TCP_ACK, tci);
        final byte[] received = SuperFrames.untagged(tagged); // the kernel gives the frame without its tag
        final List<byte[]> segments = segment(received, VirtioNetHeader.GSO_TCPV4, MSS, 0x8100L << 16 | tci, 256);
        // The tag takes 4 bytes of each buffer: segments still fit.
        assertSegments(SuperFrames.expectedSegments(tagged, MSS), segments);
    }

    @Test
    void aSmallVectorOrAnEmptyPoolOnlyPausesTheSegmentation() {
        final byte[] payload = SuperFrames.payload(40_000, 5);
        final byte[] frame = SuperFrames.tcp4(payload, 77, 99, SuperFrames.TCP_ACK, -1);
        final List<byte[]> expected = SuperFrames.expectedSegments(frame, MSS);
        assertSegments(expected, segment(frame, VirtioNetHeader.GSO_TCPV4, MSS, NO_TAG, 3));

        // An exhausted pool: nothing comes out, the frame stays pending, and resumes when buffers return.
        final MemorySegment memory = source(frame);
        assertEquals(DropReason.NONE, splitter.beginSegmentation(memory, 77, frame.length, VirtioNetHeader.GSO_TCPV4,
            MSS, NO_TAG, ROOM));
        final List<Long> hoarded = new ArrayList<>();
        for (long d; (d = cache.allocateDescriptor()) != -1L; ) {
            hoarded.add(d);
        }
        final PacketVector vector = new PacketVector();
        assertEquals(0, splitter.emit(vector, 0, cache));
        assertTrue(splitter.pending());
        for (int i = 0; i < 5; i++) {
            cache.free(hoarded.removeLast());
        }
        assertEquals(5, splitter.emit(vector, 0, cache));
        final List<byte[]> pieces = new ArrayList<>();
        for (int i = 0; i < vector.count(); i++) {
            pieces.add(TestFrames.fromPool(pool, vector.descriptor(i)));
        }
        vector.freeAll(cache);
        hoarded.forEach(cache::free);
        pieces.addAll(drain(256));
        assertSegments(expected, pieces);
    }

    @Test
    void tcpIsCutFinerWhereASegmentWouldNotFitABuffer() {
        // A jumbo-MTU sender (gso_size 8948): the segments must fit 1984-byte buffers instead.
        final byte[] payload = SuperFrames.payload(30_000, 6);
        final byte[] frame = SuperFrames.tcp4(payload, 5, 1000, SuperFrames.TCP_ACK | SuperFrames.TCP_PSH, -1);
        final int fits = ROOM - (14 + 20 + SuperFrames.TCP_HEADER);
        final List<byte[]> segments = segment(frame, VirtioNetHeader.GSO_TCPV4, 8948, NO_TAG, 256);
        assertSegments(SuperFrames.expectedSegments(frame, fits), segments);
        assertEquals(ROOM, segments.getFirst().length);
        assertArrayEquals(payload, SuperFrames.reassembledPayload(segments));
    }

    @Test
    void udpSegmentationMakesDatagramsOverIpv4AndIpv6() {
        final byte[] payload4 = SuperFrames.payload(14_000, 7);
        final byte[] frame4 = SuperFrames.udp4(payload4, 0x4242);
        assertSegments(SuperFrames.expectedSegments(frame4, 1400),
            segment(frame4, VirtioNetHeader.GSO_UDP_L4, 1400, NO_TAG, 256));

        final byte[] payload6 = SuperFrames.payload(9_999, 8);
        final byte[] frame6 = SuperFrames.udp6(payload6);
        final List<byte[]> segments6 = segment(frame6, VirtioNetHeader.GSO_UDP_L4, 1200, NO_TAG, 256);
        assertEquals(9, segments6.size());
        assertSegments(SuperFrames.expectedSegments(frame6, 1200), segments6);
    }

    @Test
    void framesThatCannotBeSegmentedAreRefusedWithAReason() {
        final byte[] tcp4 = SuperFrames.tcp4(SuperFrames.payload(3000, 9), 1, 1, SuperFrames.TCP_ACK, -1);
        final MemorySegment memory = source(tcp4);
        // The GSO type disagrees with the frame.
        assertEquals(DropReason.GSO_UNSUPPORTED,
            splitter.beginSegmentation(memory, 77, tcp4.length, VirtioNetHeader.GSO_TCPV6, MSS, NO_TAG, ROOM));
        assertEquals(DropReason.GSO_UNSUPPORTED,
            splitter.beginSegmentation(memory, 77, tcp4.length, VirtioNetHeader.GSO_UDP_L4, MSS, NO_TAG, ROOM));
        assertEquals(DropReason.GSO_UNSUPPORTED,
            splitter.beginSegmentation(memory, 77, tcp4.length, VirtioNetHeader.GSO_UDP, MSS, NO_TAG, ROOM));
        // No segment size, or a length the IP header does not agree with.
        assertEquals(DropReason.GSO_UNSUPPORTED,
            splitter.beginSegmentation(memory, 77, tcp4.length, VirtioNetHeader.GSO_TCPV4, 0, NO_TAG, ROOM));
        assertEquals(DropReason.GSO_UNSUPPORTED,
            splitter.beginSegmentation(memory, 77, tcp4.length - 1, VirtioNetHeader.GSO_TCPV4, MSS, NO_TAG, ROOM));
        // A UDP segment cannot be cut finer than the sender made it.
        final byte[] udp = SuperFrames.udp4(SuperFrames.payload(9000, 10), 1);
        assertEquals(DropReason.RX_FRAME_TOO_LONG, splitter.beginSegmentation(source(udp), 77, udp.length,
            VirtioNetHeader.GSO_UDP_L4, 4000, NO_TAG, ROOM));
        // Not IP at all.
        final byte[] other = TestFrames.ethernet(1, 2, TestFrames.ETHERTYPE_EXPERIMENTAL, 5000, 1);
        assertEquals(DropReason.GSO_UNSUPPORTED, splitter.beginSegmentation(source(other), 77, other.length,
            VirtioNetHeader.GSO_TCPV4, MSS, NO_TAG, ROOM));
        assertFalse(splitter.pending());
    }

    @Test
    void largeIpv4DatagramsAreFragmented() {
        final byte[] payload = SuperFrames.payload(6000, 11);
        final byte[] datagram = SuperFrames.completeUdp4(payload, 0x7777, 0);
        final MemorySegment memory = source(datagram);
        assertEquals(DropReason.NONE, splitter.beginFragmentation(memory, 77, datagram.length, NO_TAG, ROOM));
        final List<byte[]> fragments = drain(256);
        final int perFragment = (ROOM - 34) & ~7;
        assertEquals((8 + 6000 + perFragment - 1) / perFragment, fragments.size());
        final byte[] reassembled = new byte[8 + 6000];
        for (int i = 0; i < fragments.size(); i++) {
            final byte[] f = fragments.get(i);
            assertArrayEquals(java.util.Arrays.copyOf(datagram, 14 + 2), java.util.Arrays.copyOf(f, 14 + 2),
                "MACs, EtherType, version, header length, TOS");
            assertEquals(f.length - 14, TestFrames.u16(f, 14 + 2), "total length");
            assertEquals(0x7777, TestFrames.u16(f, 14 + 4), "same id in every fragment");
            final int flagsAndOffset = TestFrames.u16(f, 14 + 6);
            assertEquals(i * perFragment / 8, flagsAndOffset & 0x1FFF);
            assertEquals(i < fragments.size() - 1, (flagsAndOffset & 0x2000) != 0, "MF on all but the last");
            assertTrue(SuperFrames.ipv4HeaderChecksumValid(f));
            assertEquals(datagram[14 + 8], f[14 + 8]);
            System.arraycopy(f, 34, reassembled, (flagsAndOffset & 0x1FFF) * 8, f.length - 34);
        }
        assertArrayEquals(java.util.Arrays.copyOfRange(datagram, 34, datagram.length), reassembled);

        // A fragment that is itself too large keeps its offset and its MF flag.
        final byte[] middle = SuperFrames.completeUdp4(payload, 0x7778, 0x2000 | 100);
        assertEquals(DropReason.NONE, splitter.beginFragmentation(source(middle), 77, middle.length, NO_TAG, ROOM));
        final List<byte[]> pieces = drain(256);
        for (int i = 0; i < pieces.size(); i++) {
            final int flagsAndOffset = TestFrames.u16(pieces.get(i), 14 + 6);
            assertEquals(100 + i * perFragment / 8, flagsAndOffset & 0x1FFF);
            assertTrue((flagsAndOffset & 0x2000) != 0, "the original had more fragments after it");
        }
    }

    @Test
    void whatMustNotBeFragmentedIsRefused() {
        final byte[] dontFragment = SuperFrames.completeUdp4(SuperFrames.payload(3000, 12), 1, 0x4000);
        assertEquals(DropReason.RX_FRAME_TOO_LONG,
            splitter.beginFragmentation(source(dontFragment), 77, dontFragment.length, NO_TAG, ROOM));
        final byte[] ipv6 = SuperFrames.udp6(SuperFrames.payload(3000, 13));
        assertEquals(DropReason.RX_FRAME_TOO_LONG, splitter.beginFragmentation(source(ipv6), 77, ipv6.length, NO_TAG, ROOM));
        final byte[] other = TestFrames.ethernet(1, 2, TestFrames.ETHERTYPE_EXPERIMENTAL, 3000, 1);
        assertEquals(DropReason.RX_FRAME_TOO_LONG, splitter.beginFragmentation(source(other), 77, other.length, NO_TAG, ROOM));
        assertFalse(splitter.pending());
    }

    @Test
    void segmentingAllocatesNothing() {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final byte[] frame = SuperFrames.tcp4(SuperFrames.payload(65_000, 14), 1, 1, SuperFrames.TCP_ACK, -1);
        final MemorySegment memory = source(frame);
        final PacketVector vector = new PacketVector();
        final Runnable round = () -> {
            splitter.beginSegmentation(memory, 77, frame.length, VirtioNetHeader.GSO_TCPV4, MSS, NO_TAG, ROOM);
            while (splitter.pending()) {
                vector.clear();
                splitter.emit(vector, 0, cache);
                vector.freeAll(cache);
            }
        };
        for (int i = 0; i < 2_000; i++) {
            round.run();
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1_000; i++) {
            round.run();
        }
        assertEquals(0, threads.getCurrentThreadAllocatedBytes() - before, "bytes allocated segmenting 1,000 super-frames");
    }
}

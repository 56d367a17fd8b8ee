package dev.nsdp.dataplane.port;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The partial-checksum completion against frames built here: each frame is first made with a
 * correct checksum (computed by {@link TestFrames}' independent code), then its checksum field is
 * replaced by the pseudo-header sum as the kernel leaves it for CHECKSUM_PARTIAL; completion must
 * give back exactly the correct frame.
 */
class PartialChecksumTest {
    private static final int TCP = 6;
    private static final int UDP = 17;
    private final Random random = new Random(42);

    @Test
    void udpOverIpv4() {
        assertCompletes(ipv4(UDP, 0, 100), UDP);
    }

    @Test
    void tcpOverIpv4WithOptionsAndAnOddLength() {
        assertCompletes(ipv4(TCP, 4, 20 + 333), TCP);
    }

    @Test
    void udpOverIpv6WithAHopByHopHeader() {
        assertCompletes(ipv6(UDP, true, 77), UDP);
        assertCompletes(ipv6(TCP, false, 20 + 1000), TCP);
    }

    @Test
    void behindOneAndTwoVlanTags() {
        assertCompletes(tagged(ipv4(TCP, 0, 40), 0x8100), TCP);
        assertCompletes(tagged(tagged(ipv4(UDP, 0, 41), 0x8100), 0x88A8), UDP);
    }

    @Test
    void aUdpChecksumOfZeroIsSentAsAllOnes() {
        final byte[] frame = ipv4(UDP, 0, 64);
        final int l4 = 14 + 20;
        // Ones'-complement-add the checksum into a payload word: the segment then sums to all ones,
        // so its checksum computes as zero, which UDP must send as 0xFFFF.
        final int checksum = TestFrames.u16(frame, l4 + 6);
        final int word = TestFrames.u16(frame, l4 + 8);
        int adjusted = word + checksum;
        adjusted = (adjusted & 0xFFFF) + (adjusted >>> 16);
        frame[l4 + 8] = (byte) (adjusted >>> 8);
        frame[l4 + 9] = (byte) adjusted;
        setUdpOrTcpChecksum(frame, l4 + 6, 0);
        setUdpOrTcpChecksum(frame, l4 + 6, fullChecksum(frame));
        assertEquals(0, TestFrames.u16(frame, l4 + 6), "constructed to compute as zero");
        setUdpOrTcpChecksum(frame, l4 + 6, 0xFFFF);
        assertTrue(TestFrames.l4ChecksumValid(frame));
        assertCompletes(frame, UDP);
    }

    @Test
    void leavesWhatItCannotParseUntouched() {
        final byte[] fragment = ipv4(UDP, 0, 100);
        fragment[14 + 6] = 0x20; // more fragments
        assertUntouched(fragment);
        final byte[] icmp = ipv4(UDP, 0, 100);
        icmp[14 + 9] = 1;
        assertUntouched(icmp);
        final byte[] arp = ipv4(UDP, 0, 100);
        arp[12] = 0x08;
        arp[13] = 0x06;
        assertUntouched(arp);
        final byte[] cut = ipv4(TCP, 0, 100);
        assertUntouched(java.util.Arrays.copyOf(cut, cut.length - 10)); // IP length beyond the frame
        final byte[] fragmentHeader = ipv6(UDP, false, 50);
        fragmentHeader[14 + 6] = 44; // IPv6 fragment header: not followed
        assertUntouched(fragmentHeader);
        assertUntouched(new byte[10]);
    }

    private void assertCompletes(final byte[] correct, final int protocol) {
        assertTrue(TestFrames.l4ChecksumValid(correct), "test frame is built correct");
        final byte[] partial = correct.clone();
        final int l3 = TestFrames.l3Offset(partial);
        final int field = l4Offset(partial, l3) + (protocol == TCP ? 16 : 6);
        setUdpOrTcpChecksum(partial, field, pseudoHeaderSum(partial, l3, protocol));
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment memory = arena.allocate(partial.length + 64);
            MemorySegment.copy(partial, 0, memory, ValueLayout.JAVA_BYTE, 32, partial.length);
            assertTrue(PartialChecksum.complete(memory, 32, partial.length));
            assertArrayEquals(correct, memory.asSlice(32, partial.length).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    private static void assertUntouched(final byte[] frame) {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment memory = arena.allocate(frame.length + 1);
            MemorySegment.copy(frame, 0, memory, ValueLayout.JAVA_BYTE, 0, frame.length);
            assertFalse(PartialChecksum.complete(memory, 0, frame.length));
            assertArrayEquals(frame, memory.asSlice(0, frame.length).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    /** An Ethernet + IPv4 (+ optionWords of options) + L4 frame with a correct L4 checksum. */
    private byte[] ipv4(final int protocol, final int optionBytes, final int l4Length) {
        final int headerLength = 20 + optionBytes;
        final byte[] frame = new byte[14 + headerLength + l4Length];
        random.nextBytes(frame);
        final ByteBuffer b = ByteBuffer.wrap(frame);
        b.position(12);
        b.putShort((short) 0x0800);
        b.put((byte) (0x40 | headerLength / 4)).put((byte) 0).putShort((short) (headerLength + l4Length));
        b.putShort((short) 1).putShort((short) 0x4000).put((byte) 64).put((byte) protocol);
        b.putShort((short) 0).putInt(0xC612_0002).putInt(0xC612_0001); // 198.18.0.2 -> 198.18.0.1
        fixL4(frame, protocol, 14 + headerLength, l4Length);
        return frame;
    }

    private byte[] ipv6(final int protocol, final boolean hopByHop, final int l4Length) {
        final int extension = hopByHop ? 8 : 0;
        final byte[] frame = new byte[14 + 40 + extension + l4Length];
        random.nextBytes(frame);
        final ByteBuffer b = ByteBuffer.wrap(frame);
        b.position(12);
        b.putShort((short) 0x86DD);
        b.putInt(0x6000_0000).putShort((short) (extension + l4Length)).put((byte) (hopByHop ? 0 : protocol))
            .put((byte) 64);
        b.putLong(0x2001_0DB8_0000_0000L).putLong(2).putLong(0x2001_0DB8_0000_0000L).putLong(1);
        if (hopByHop) {
            b.put((byte) protocol).put((byte) 0).putShort((short) 0x0104).putInt(0); // PadN
        }
        final int l4 = 14 + 40 + extension;
        fixL4(frame, protocol, l4, l4Length);
        return frame;
    }

    private static byte[] tagged(final byte[] frame, final int tpid) {
        final byte[] out = new byte[frame.length + 4];
        System.arraycopy(frame, 0, out, 0, 12);
        out[12] = (byte) (tpid >>> 8);
        out[13] = (byte) tpid;
        out[14] = 0x20;
        out[15] = 0x0A;
        System.arraycopy(frame, 12, out, 16, frame.length - 12);
        return out;
    }

    private static void fixL4(final byte[] frame, final int protocol, final int l4, final int l4Length) {
        if (protocol == UDP) {
            frame[l4 + 4] = (byte) (l4Length >>> 8);
            frame[l4 + 5] = (byte) l4Length;
        } else {
            frame[l4 + 12] = (byte) 0x50; // data offset 5
        }
        final int field = l4 + (protocol == TCP ? 16 : 6);
        setUdpOrTcpChecksum(frame, field, 0);
        int checksum = fullChecksum(frame);
        if (checksum == 0 && protocol == UDP) {
            checksum = 0xFFFF;
        }
        setUdpOrTcpChecksum(frame, field, checksum);
    }

    /** The correct checksum for a frame whose checksum field is currently zero. */
    private static int fullChecksum(final byte[] frame) {
        final int l3 = TestFrames.l3Offset(frame);
        final int protocol = TestFrames.ipProtocol(frame) == 0 ? frame[l4Offset(frame, l3) - 8] & 0xFF
            : TestFrames.ipProtocol(frame);
        final int l4 = l4Offset(frame, l3);
        final int l4Length = frame.length - l4;
        long sum = pseudoHeaderSum(frame, l3, protocol);
        for (int i = 0; i < l4Length; i += 2) {
            sum += ((frame[l4 + i] & 0xFF) << 8) | (i + 1 < l4Length ? frame[l4 + i + 1] & 0xFF : 0);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    private static int l4Offset(final byte[] frame, final int l3) {
        if (TestFrames.etherType(frame) == TestFrames.ETHERTYPE_IPV4) {
            return l3 + (frame[l3] & 0x0F) * 4;
        }
        return frame[l3 + 6] == 0 ? l3 + 48 : l3 + 40;
    }

    /** The folded (not complemented) pseudo-header sum: what the kernel leaves in a partial checksum field. */
    private static int pseudoHeaderSum(final byte[] frame, final int l3, final int protocol) {
        final int l4Length = frame.length - l4Offset(frame, l3);
        long sum = protocol + l4Length;
        final int from = TestFrames.etherType(frame) == TestFrames.ETHERTYPE_IPV4 ? l3 + 12 : l3 + 8;
        final int length = TestFrames.etherType(frame) == TestFrames.ETHERTYPE_IPV4 ? 8 : 32;
        for (int i = 0; i < length; i += 2) {
            sum += TestFrames.u16(frame, from + i);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    private static void setUdpOrTcpChecksum(final byte[] frame, final int field, final int value) {
        frame[field] = (byte) (value >>> 8);
        frame[field + 1] = (byte) value;
    }
}

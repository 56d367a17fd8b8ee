package dev.nsdp.dataplane.port;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Test fixture: GSO super-frames as a local sender hands them to a link with offloads (IPv4/IPv6,
 * TCP or UDP, one frame of many segments' payload, L4 checksum field holding only the pseudo-header
 * sum), and the segments they must become, built here from the RFCs and the kernel's documented
 * behaviour, independently of the code under test.
 */
final class SuperFrames {
    static final long DESTINATION_MAC = 0x02_00_5E_20_00_02L;
    static final long SOURCE_MAC = 0x02_00_5E_20_00_01L;
    static final byte[] SOURCE_V4 = {(byte) 198, 18, 2, 1};
    static final byte[] DESTINATION_V4 = {(byte) 198, 18, 2, 2};
    static final byte[] SOURCE_V6 = v6(0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
    static final byte[] DESTINATION_V6 = v6(0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2);
    static final int TCP_FIN = 0x01;
    static final int TCP_PSH = 0x08;
    static final int TCP_ACK = 0x10;
    static final int TCP_CWR = 0x80;
    static final int TCP_HEADER = 32; // 20 + NOP NOP timestamps
    static final int SOURCE_PORT = 40000;
    static final int DESTINATION_PORT = 5201;

    private SuperFrames() {
    }

    static byte[] payload(final int length, final long seed) {
        final byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Ethernet header, with an in-band 802.1Q tag when {@code vlanTci >= 0}. */
    private static void ethernet(final ByteBuffer b, final int etherType, final int vlanTci) {
        b.put(TestFrames.mac(DESTINATION_MAC)).put(TestFrames.mac(SOURCE_MAC));
        if (vlanTci >= 0) {
            b.putShort((short) 0x8100).putShort((short) vlanTci);
        }
        b.putShort((short) etherType);
    }

    /** TCP over IPv4, DF set, id {@code id}; the TCP checksum field holds the pseudo-header sum. */
    static byte[] tcp4(final byte[] payload, final int id, final int sequence, final int flags, final int vlanTci) {
        final int l4Length = TCP_HEADER + payload.length;
        final ByteBuffer b = ByteBuffer.allocate((vlanTci >= 0 ? 18 : 14) + 20 + l4Length);
        ethernet(b, 0x0800, vlanTci);
        final int ip = b.position();
        ipv4Header(b, 20 + l4Length, id, 0x4000, 6);
        final int tcp = b.position();
        tcpHeader(b, sequence, flags);
        b.put(payload);
        final byte[] frame = b.array();
        putU16(frame, ip + 10, ~fold(sum(frame, ip, 20)) & 0xFFFF);
        putU16(frame, tcp + 16, fold(sum(frame, ip + 12, 8) + 6 + l4Length));
        return frame;
    }

    /** TCP over IPv6, optionally behind an 8-byte hop-by-hop options header. */
    static byte[] tcp6(final byte[] payload, final int sequence, final int flags, final boolean hopByHop) {
        final int l4Length = TCP_HEADER + payload.length;
        final int extension = hopByHop ? 8 : 0;
        final ByteBuffer b = ByteBuffer.allocate(14 + 40 + extension + l4Length);
        ethernet(b, 0x86DD, -1);
        final int ip = b.position();
        ipv6Header(b, extension + l4Length, hopByHop ? 0 : 6);
        if (hopByHop) {
            b.put((byte) 6).put((byte) 0).put(new byte[] {1, 4, 0, 0, 0, 0}); // next TCP, PadN
        }
        final int tcp = b.position();
        tcpHeader(b, sequence, flags);
        b.put(payload);
        final byte[] frame = b.array();
        putU16(frame, tcp + 16, fold(sum(frame, ip + 8, 32) + 6 + l4Length));
        return frame;
    }

    static byte[] udp4(final byte[] payload, final int id) {
        final int l4Length = 8 + payload.length;
        final ByteBuffer b = ByteBuffer.allocate(14 + 20 + l4Length);
        ethernet(b, 0x0800, -1);
        final int ip = b.position();
        ipv4Header(b, 20 + l4Length, id, 0, 17);
        final int udp = b.position();
        b.putShort((short) SOURCE_PORT).putShort((short) DESTINATION_PORT).putShort((short) l4Length).putShort((short) 0);
        b.put(payload);
        final byte[] frame = b.array();
        putU16(frame, ip + 10, ~fold(sum(frame, ip, 20)) & 0xFFFF);
        putU16(frame, udp + 6, fold(sum(frame, ip + 12, 8) + 17 + l4Length));
        return frame;
    }

    static byte[] udp6(final byte[] payload) {
        final int l4Length = 8 + payload.length;
        final ByteBuffer b = ByteBuffer.allocate(14 + 40 + l4Length);
        ethernet(b, 0x86DD, -1);
        final int ip = b.position();
        ipv6Header(b, l4Length, 17);
        final int udp = b.position();
        b.putShort((short) SOURCE_PORT).putShort((short) DESTINATION_PORT).putShort((short) l4Length).putShort((short) 0);
        b.put(payload);
        final byte[] frame = b.array();
        putU16(frame, udp + 6, fold(sum(frame, ip + 8, 32) + 17 + l4Length));
        return frame;
    }

    /** A UDP/IPv4 datagram with a complete checksum (what a plain, unoffloaded sender sends). */
    static byte[] completeUdp4(final byte[] payload, final int id, final int flagsAndOffset) {
        final byte[] frame = udp4(payload, id);
        putU16(frame, 14 + 6, flagsAndOffset);
        putU16(frame, 14 + 10, 0);
        putU16(frame, 14 + 10, ~fold(sum(frame, 14, 20)) & 0xFFFF);
        putU16(frame, 34 + 6, 0);
        final int checksum = ~fold(sum(frame, 14 + 12, 8) + 17 + 8 + payload.length + sum(frame, 34, 8 + payload.length)) & 0xFFFF;
        putU16(frame, 34 + 6, checksum == 0 ? 0xFFFF : checksum);
        return frame;
    }

    private static void ipv4Header(final ByteBuffer b, final int totalLength, final int id, final int flagsAndOffset,
                                   final int protocol) {
        b.put((byte) 0x45).put((byte) 0).putShort((short) totalLength).putShort((short) id)
            .putShort((short) flagsAndOffset).put((byte) 64).put((byte) protocol).putShort((short) 0)
            .put(SOURCE_V4).put(DESTINATION_V4);
    }

    private static void ipv6Header(final ByteBuffer b, final int payloadLength, final int nextHeader) {
        b.putInt(0x6000_0000 | 0x12345).putShort((short) payloadLength).put((byte) nextHeader).put((byte) 64)
            .put(SOURCE_V6).put(DESTINATION_V6);
    }

    private static void tcpHeader(final ByteBuffer b, final int sequence, final int flags) {
        b.putShort((short) SOURCE_PORT).putShort((short) DESTINATION_PORT).putInt(sequence).putInt(0x0102_0304)
            .put((byte) ((TCP_HEADER / 4) << 4)).put((byte) flags).putShort((short) 0xFFFF)
            .putShort((short) 0).putShort((short) 0)
            .put(new byte[] {1, 1, 8, 10}).putInt(0x1111_2222).putInt(0x3333_4444);
    }

    /**
     * The segments the kernel's GSO makes of {@code superFrame} (TCP or UDP; IPv4 or IPv6 with at
     * most a hop-by-hop header; in-band VLAN tags allowed) at {@code segmentSize} payload bytes each.
     */
    static List<byte[]> expectedSegments(final byte[] superFrame, final int segmentSize) {
        final int ip = TestFrames.l3Offset(superFrame);
        final boolean ipv4 = TestFrames.etherType(superFrame) == 0x0800;
        final int l4;
        final int protocol;
        if (ipv4) {
            l4 = ip + (superFrame[ip] & 0x0F) * 4;
            protocol = superFrame[ip + 9];
        } else if (superFrame[ip + 6] == 0) {
            l4 = ip + 40 + ((superFrame[ip + 41] & 0xFF) + 1) * 8;
            protocol = superFrame[ip + 40];
        } else {
            l4 = ip + 40;
            protocol = superFrame[ip + 6];
        }
        final int headers = protocol == 6 ? l4 + ((superFrame[l4 + 12] & 0xFF) >>> 4) * 4 : l4 + 8;
        final int payload = superFrame.length - headers;
        final int count = Math.max(1, (payload + segmentSize - 1) / segmentSize);
        final List<byte[]> segments = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final int chunk = Math.min(segmentSize, payload - i * segmentSize);
            final byte[] s = new byte[headers + chunk];
            System.arraycopy(superFrame, 0, s, 0, headers);
            System.arraycopy(superFrame, headers + i * segmentSize, s, headers, chunk);
            final int l4Length = s.length - l4;
            if (ipv4) {
                putU16(s, ip + 2, s.length - ip);
                putU16(s, ip + 4, TestFrames.u16(superFrame, ip + 4) + i);
                putU16(s, ip + 10, 0);
                putU16(s, ip + 10, ~fold(sum(s, ip, (s[ip] & 0x0F) * 4)) & 0xFFFF);
            } else {
                putU16(s, ip + 4, s.length - ip - 40);
            }
            final long pseudo = ipv4 ? sum(s, ip + 12, 8) : sum(s, ip + 8, 32);
            if (protocol == 6) {
                putU32(s, l4 + 4, u32(superFrame, l4 + 4) + i * segmentSize);
                int flags = s[l4 + 13] & 0xFF;
                if (i != count - 1) {
                    flags &= ~(TCP_FIN | TCP_PSH);
                }
                if (i != 0) {
                    flags &= ~TCP_CWR;
                }
                s[l4 + 13] = (byte) flags;
                putU16(s, l4 + 16, 0);
                putU16(s, l4 + 16, ~fold(pseudo + 6 + l4Length + sum(s, l4, l4Length)) & 0xFFFF);
            } else {
                putU16(s, l4 + 4, l4Length);
                putU16(s, l4 + 6, 0);
                final int checksum = ~fold(pseudo + 17 + l4Length + sum(s, l4, l4Length)) & 0xFFFF;
                putU16(s, l4 + 6, checksum == 0 ? 0xFFFF : checksum);
            }
            segments.add(s);
        }
        return segments;
    }

    /** The L4 payloads of {@code segments}, end to end (what the receiving application reads). */
    static byte[] reassembledPayload(final List<byte[]> segments) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] s : segments) {
            final int ip = TestFrames.l3Offset(s);
            final int l4;
            final int protocol;
            if (TestFrames.etherType(s) == 0x0800) {
                l4 = ip + (s[ip] & 0x0F) * 4;
                protocol = s[ip + 9];
            } else if (s[ip + 6] == 0) {
                l4 = ip + 40 + ((s[ip + 41] & 0xFF) + 1) * 8;
                protocol = s[ip + 40];
            } else {
                l4 = ip + 40;
                protocol = s[ip + 6];
            }
            final int headers = protocol == 6 ? l4 + ((s[l4 + 12] & 0xFF) >>> 4) * 4 : l4 + 8;
            out.write(s, headers, s.length - headers);
        }
        return out.toByteArray();
    }

    static boolean ipv4HeaderChecksumValid(final byte[] frame) {
        final int ip = TestFrames.l3Offset(frame);
        return fold(sum(frame, ip, (frame[ip] & 0x0F) * 4)) == 0xFFFF;
    }

    static long sum(final byte[] bytes, final int from, final int length) {
        long sum = 0;
        for (int i = 0; i < length; i += 2) {
            final int high = bytes[from + i] & 0xFF;
            final int low = i + 1 < length ? bytes[from + i + 1] & 0xFF : 0;
            sum += (high << 8) | low;
        }
        return sum;
    }

    static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    static void putU16(final byte[] bytes, final int at, final int value) {
        bytes[at] = (byte) (value >>> 8);
        bytes[at + 1] = (byte) value;
    }

    static void putU32(final byte[] bytes, final int at, final int value) {
        putU16(bytes, at, value >>> 16);
        putU16(bytes, at + 2, value);
    }

    static int u32(final byte[] bytes, final int at) {
        return (TestFrames.u16(bytes, at) << 16) | TestFrames.u16(bytes, at + 2);
    }

    /** The frame with its first 802.1Q tag removed (as the kernel moves it out of band on receive). */
    static byte[] untagged(final byte[] tagged) {
        final byte[] frame = new byte[tagged.length - 4];
        System.arraycopy(tagged, 0, frame, 0, 12);
        System.arraycopy(tagged, 16, frame, 12, tagged.length - 16);
        return frame;
    }

    private static byte[] v6(final int... bytes) {
        final byte[] address = new byte[16];
        for (int i = 0; i < 16; i++) {
            address[i] = (byte) bytes[i];
        }
        return address;
    }
}

package dev.nsdp.dataplane.testing;

import dev.nsdp.dataplane.buffer.BufferCache;
import dev.nsdp.dataplane.buffer.Descriptor;
import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.codec.Checksum;
import dev.nsdp.dataplane.codec.MacAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Complete, correct test frames as {@code byte[]}: every length and checksum filled in, so a test
 * states only what it cares about. Also the bridge between arrays and a {@link PacketPool}.
 *
 * <p>Conventions: MACs are {@code long}s ({@link MacAddress}); IPv4 addresses are {@code int}s in
 * network order, i.e. 198.18.0.1 is {@code 0xC6120001} (every builder has an overload taking dotted
 * strings); IPv6 addresses are 16-byte arrays or strings like "2001:db8::1". Unspecified fields
 * take scapy's defaults, so a frame built here equals, byte for byte, the scapy frame built with the
 * same explicit fields: IPv4 id 1, TTL 64, TOS 0, no flags; IPv6 traffic class 0, flow label 0, hop
 * limit 64; TCP window 8192, no options; VLAN priority 0. Frames are not padded to the 60-byte
 * Ethernet minimum (neither does scapy, nor the kernel for TAP and AF_PACKET).
 *
 * <p>Only literal addresses are accepted, so no name is ever resolved.
 */
public final class Frames {
    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_ARP = 0x0806;
    public static final int ETHERTYPE_IPV6 = 0x86DD;
    public static final int TPID_8021Q = 0x8100;
    public static final int TPID_8021AD = 0x88A8;

    public static final int PROTOCOL_ICMP = 1;
    public static final int PROTOCOL_TCP = 6;
    public static final int PROTOCOL_UDP = 17;
    public static final int PROTOCOL_ICMPV6 = 58;

    public static final int DEFAULT_IPV4_ID = 1;
    public static final int DEFAULT_TTL = 64;
    public static final int DEFAULT_TCP_WINDOW = 8192;

    public static final int TCP_FLAG_FIN = 0x01;
    public static final int TCP_FLAG_SYN = 0x02;
    public static final int TCP_FLAG_RST = 0x04;
    public static final int TCP_FLAG_PSH = 0x08;
    public static final int TCP_FLAG_ACK = 0x10;

    private Frames() {
    }

    // ---------------------------------------------------------------- addresses

    /** "198.18.0.1" to 0xC6120001. */
    public static int ipv4(final String dotted) {
        final byte[] b = literal(dotted, 4);
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    /** "2001:db8::1" to its 16 bytes. */
    public static byte[] ipv6(final String text) {
        return literal(text, 16);
    }

    public static long mac(final String text) {
        return MacAddress.parse(text);
    }

    private static byte[] literal(final String text, final int size) {
        final boolean looksLiteral = size == 4 ? text.matches("\\d{1,3}(\\.\\d{1,3}){3}") : text.contains(":");
        if (!looksLiteral) {
            throw new IllegalArgumentException("not a literal IPv" + (size == 4 ? 4 : 6) + " address: " + text);
        }
        try {
            final byte[] bytes = InetAddress.getByName(text).getAddress();
            if (bytes.length != size) {
                throw new IllegalArgumentException("not an IPv" + (size == 4 ? 4 : 6) + " address: " + text);
            }
            return bytes;
        } catch (final UnknownHostException e) {
            throw new IllegalArgumentException("bad address literal " + text, e);
        }
    }

    // ---------------------------------------------------------------- generic layers

    /** An Ethernet II frame around {@code payload}. */
    public static byte[] ethernet(final long dstMac, final long srcMac, final int etherType, final byte[] payload) {
        final ByteBuffer b = ByteBuffer.allocate(14 + payload.length);
        putMac(b, dstMac);
        putMac(b, srcMac);
        b.putShort((short) etherType);
        b.put(payload);
        return b.array();
    }

    /**
     * A copy of {@code frame} with a VLAN tag pushed in front of any existing tags (after the MACs):
     * {@code tpid} 0x8100 (802.1Q) or 0x88A8 (802.1ad service tag), {@code tci} priority, DEI and VLAN
     * id (a bare VLAN id is a TCI with priority 0).
     */
    public static byte[] tagged(final byte[] frame, final int tpid, final int tci) {
        final byte[] out = new byte[frame.length + 4];
        System.arraycopy(frame, 0, out, 0, 12);
        out[12] = (byte) (tpid >>> 8);
        out[13] = (byte) tpid;
        out[14] = (byte) (tci >>> 8);
        out[15] = (byte) tci;
        System.arraycopy(frame, 12, out, 16, frame.length - 12);
        return out;
    }

    /** An IPv4 packet (no options) with a correct header checksum; the L4 bytes are taken as they are. */
    public static byte[] ipv4Packet(final int srcIp, final int dstIp, final int protocol, final byte[] l4) {
        final ByteBuffer b = ByteBuffer.allocate(20 + l4.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4.length));
        b.putShort((short) DEFAULT_IPV4_ID).putShort((short) 0);
        b.put((byte) DEFAULT_TTL).put((byte) protocol).putShort((short) 0);
        b.putInt(srcIp).putInt(dstIp);
        b.put(l4);
        final byte[] packet = b.array();
        putShort(packet, 10, Checksum.compute(new UnsafeBuffer(packet), 0, 20));
        return packet;
    }

    /** An IPv6 packet without extension headers; the L4 bytes are taken as they are. */
    public static byte[] ipv6Packet(final byte[] srcIp, final byte[] dstIp, final int nextHeader, final byte[] l4) {
        final ByteBuffer b = ByteBuffer.allocate(40 + l4.length);
        b.putInt(0x6000_0000).putShort((short) l4.length).put((byte) nextHeader).put((byte) DEFAULT_TTL);
        b.put(srcIp).put(dstIp).put(l4);
        return b.array();
    }

    /** A UDP datagram whose checksum covers the IPv4 pseudo-header of {@code srcIp} to {@code dstIp}. */
    public static byte[] udpDatagram4(final int srcIp, final int dstIp, final int srcPort, final int dstPort, final byte[] payload) {
        final byte[] udp = udpWithoutChecksum(srcPort, dstPort, payload);
        final int checksum = Checksum.ipv4L4(new UnsafeBuffer(udp), 0, udp.length, srcIp, dstIp, PROTOCOL_UDP);
        putShort(udp, 6, Checksum.udpTransmitted(checksum));
        return udp;
    }

    /** A UDP datagram whose checksum covers the IPv6 pseudo-header. */
    public static byte[] udpDatagram6(
        final byte[] srcIp, final byte[] dstIp, final int srcPort, final int dstPort, final byte[] payload) {
        final byte[] udp = udpWithoutChecksum(srcPort, dstPort, payload);
        putShort(udp, 6, Checksum.udpTransmitted(l4Checksum6(srcIp, dstIp, PROTOCOL_UDP, udp)));
        return udp;
    }

    /** A TCP segment without options, checksum over the IPv4 pseudo-header. */
    public static byte[] tcpSegment4(
        final int srcIp, final int dstIp, final int srcPort, final int dstPort, final long seq, final long ack, final int flags,
        final byte[] payload) {
        final ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
        b.putShort((short) srcPort).putShort((short) dstPort).putInt((int) seq).putInt((int) ack);
        b.put((byte) 0x50).put((byte) flags).putShort((short) DEFAULT_TCP_WINDOW);
        b.putShort((short) 0).putShort((short) 0).put(payload);
        final byte[] tcp = b.array();
        putShort(tcp, 16, Checksum.ipv4L4(new UnsafeBuffer(tcp), 0, tcp.length, srcIp, dstIp, PROTOCOL_TCP));
        return tcp;
    }

    /** An ICMP (v4) echo request (type 8) or reply (type 0) message. */
    public static byte[] icmpEcho4(final int type, final int identifier, final int sequence, final byte[] payload) {
        final byte[] icmp = echoWithoutChecksum(type, identifier, sequence, payload);
        putShort(icmp, 2, Checksum.compute(new UnsafeBuffer(icmp), 0, icmp.length));
        return icmp;
    }

    /** An ICMPv6 echo request (type 128) or reply (type 129) message, checksum over the pseudo-header. */
    public static byte[] icmpv6Echo(
        final byte[] srcIp, final byte[] dstIp, final int type, final int identifier, final int sequence, final byte[] payload) {
        final byte[] icmp = echoWithoutChecksum(type, identifier, sequence, payload);
        putShort(icmp, 2, l4Checksum6(srcIp, dstIp, PROTOCOL_ICMPV6, icmp));
        return icmp;
    }

    // ---------------------------------------------------------------- UDP frames

    public static byte[] udp4(
        final long dstMac, final long srcMac, final int srcIp, final int dstIp, final int srcPort, final int dstPort,
        final byte[] payload) {
        return ethernet(dstMac, srcMac, ETHERTYPE_IPV4,
            ipv4Packet(srcIp, dstIp, PROTOCOL_UDP, udpDatagram4(srcIp, dstIp, srcPort, dstPort, payload)));
    }

    public static byte[] udp4(
        final long dstMac, final long srcMac, final String srcIp, final String dstIp, final int srcPort, final int dstPort,
        final byte[] payload) {
        return udp4(dstMac, srcMac, ipv4(srcIp), ipv4(dstIp), srcPort, dstPort, payload);
    }

    /** {@link #udp4} with one 802.1Q tag (TPID 0x8100, priority 0). */
    public static byte[] udp4Tagged(
        final int vlanId, final long dstMac, final long srcMac, final int srcIp, final int dstIp, final int srcPort,
        final int dstPort, final byte[] payload) {
        return tagged(udp4(dstMac, srcMac, srcIp, dstIp, srcPort, dstPort, payload), TPID_8021Q, vlanId);
    }

    public static byte[] udp4Tagged(
        final int vlanId, final long dstMac, final long srcMac, final String srcIp, final String dstIp, final int srcPort,
        final int dstPort, final byte[] payload) {
        return udp4Tagged(vlanId, dstMac, srcMac, ipv4(srcIp), ipv4(dstIp), srcPort, dstPort, payload);
    }

    /** {@link #udp4} with an 802.1ad service tag (TPID 0x88A8) outside an 802.1Q customer tag (0x8100). */
    public static byte[] udp4QinQ(
        final int outerVlanId, final int innerVlanId, final long dstMac, final long srcMac, final int srcIp, final int dstIp,
        final int srcPort, final int dstPort, final byte[] payload) {
        return tagged(udp4Tagged(innerVlanId, dstMac, srcMac, srcIp, dstIp, srcPort, dstPort, payload), TPID_8021AD, outerVlanId);
    }

    public static byte[] udp4QinQ(
        final int outerVlanId, final int innerVlanId, final long dstMac, final long srcMac, final String srcIp,
        final String dstIp, final int srcPort, final int dstPort, final byte[] payload) {
        return udp4QinQ(outerVlanId, innerVlanId, dstMac, srcMac, ipv4(srcIp), ipv4(dstIp), srcPort, dstPort, payload);
    }

    public static byte[] udp6(
        final long dstMac, final long srcMac, final byte[] srcIp, final byte[] dstIp, final int srcPort, final int dstPort,
        final byte[] payload) {
        return ethernet(dstMac, srcMac, ETHERTYPE_IPV6,
            ipv6Packet(srcIp, dstIp, PROTOCOL_UDP, udpDatagram6(srcIp, dstIp, srcPort, dstPort, payload)));
    }

    public static byte[] udp6(
        final long dstMac, final long srcMac, final String srcIp, final String dstIp, final int srcPort, final int dstPort,
        final byte[] payload) {
        return udp6(dstMac, srcMac, ipv6(srcIp), ipv6(dstIp), srcPort, dstPort, payload);
    }

    /** {@link #udp6} with one 802.1Q tag. */
    public static byte[] udp6Tagged(
        final int vlanId, final long dstMac, final long srcMac, final String srcIp, final String dstIp, final int srcPort,
        final int dstPort, final byte[] payload) {
        return tagged(udp6(dstMac, srcMac, srcIp, dstIp, srcPort, dstPort, payload), TPID_8021Q, vlanId);
    }

    /** {@link #udp6} with an 802.1ad tag outside an 802.1Q tag. */
    public static byte[] udp6QinQ(
        final int outerVlanId, final int innerVlanId, final long dstMac, final long srcMac, final String srcIp,
        final String dstIp, final int srcPort, final int dstPort, final byte[] payload) {
        return tagged(udp6Tagged(innerVlanId, dstMac, srcMac, srcIp, dstIp, srcPort, dstPort, payload), TPID_8021AD, outerVlanId);
    }

    // ---------------------------------------------------------------- ARP

    /** Who-has {@code targetIp} tell {@code senderIp}, broadcast; target hardware address zero. */
    public static byte[] arpRequest(final long senderMac, final int senderIp, final int targetIp) {
        return ethernet(MacAddress.BROADCAST, senderMac, ETHERTYPE_ARP, arp(1, senderMac, senderIp, 0L, targetIp));
    }

    public static byte[] arpRequest(final long senderMac, final String senderIp, final String targetIp) {
        return arpRequest(senderMac, ipv4(senderIp), ipv4(targetIp));
    }

    /** {@code senderIp} is-at {@code senderMac}, unicast to the target (the requester). */
    public static byte[] arpReply(final long senderMac, final int senderIp, final long targetMac, final int targetIp) {
        return ethernet(targetMac, senderMac, ETHERTYPE_ARP, arp(2, senderMac, senderIp, targetMac, targetIp));
    }

    public static byte[] arpReply(final long senderMac, final String senderIp, final long targetMac, final String targetIp) {
        return arpReply(senderMac, ipv4(senderIp), targetMac, ipv4(targetIp));
    }

    /** The 28-byte ARP body for Ethernet/IPv4 with {@code operation} 1 (request) or 2 (reply). */
    public static byte[] arp(final int operation, final long senderMac, final int senderIp, final long targetMac, final int targetIp) {
        final ByteBuffer b = ByteBuffer.allocate(28);
        b.putShort((short) 1).putShort((short) ETHERTYPE_IPV4).put((byte) 6).put((byte) 4).putShort((short) operation);
        putMac(b, senderMac);
        b.putInt(senderIp);
        putMac(b, targetMac);
        b.putInt(targetIp);
        return b.array();
    }

    // ---------------------------------------------------------------- ICMP, ICMPv6, TCP

    public static byte[] icmpEchoRequest4(
        final long dstMac, final long srcMac, final int srcIp, final int dstIp, final int identifier, final int sequence,
        final byte[] payload) {
        return ethernet(dstMac, srcMac, ETHERTYPE_IPV4,
            ipv4Packet(srcIp, dstIp, PROTOCOL_ICMP, icmpEcho4(8, identifier, sequence, payload)));
    }

    public static byte[] icmpEchoRequest4(
        final long dstMac, final long srcMac, final String srcIp, final String dstIp, final int identifier, final int sequence,
        final byte[] payload) {
        return icmpEchoRequest4(dstMac, srcMac, ipv4(srcIp), ipv4(dstIp), identifier, sequence, payload);
    }

    public static byte[] icmpEchoReply4(
        final long dstMac, final long srcMac, final String srcIp, final String dstIp, final int identifier, final int sequence,
        final byte[] payload) {
        return ethernet(dstMac, srcMac, ETHERTYPE_IPV4,
            ipv4Packet(ipv4(srcIp), ipv4(dstIp), PROTOCOL_ICMP, icmpEcho4(0, identifier, sequence, payload)));
    }

    public static byte[] icmpv6EchoRequest(
        final long dstMac, final long srcMac, final byte[] srcIp, final byte[] dstIp, final int identifier, final int sequence,
        final byte[] payload) {
        return ethernet(dstMac, srcMac, ETHERTYPE_IPV6,
            ipv6Packet(srcIp, dstIp, PROTOCOL_ICMPV6, icmpv6Echo(srcIp, dstIp, 128, identifier, sequence, payload)));
    }

    public static byte[] icmpv6EchoRequest(
        final long dstMac, final long srcMac, final String srcIp, final String dstIp, final int identifier, final int sequence,
        final byte[] payload) {
        return icmpv6EchoRequest(dstMac, srcMac, ipv6(srcIp), ipv6(dstIp), identifier, sequence, payload);
    }

    public static byte[] icmpv6EchoReply(
        final long dstMac, final long srcMac, final String srcIp, final String dstIp, final int identifier, final int sequence,
        final byte[] payload) {
        final byte[] src = ipv6(srcIp);
        final byte[] dst = ipv6(dstIp);
        return ethernet(dstMac, srcMac, ETHERTYPE_IPV6,
            ipv6Packet(src, dst, PROTOCOL_ICMPV6, icmpv6Echo(src, dst, 129, identifier, sequence, payload)));
    }

    /** A TCP SYN (no options, ack 0, window 8192) over IPv4. */
    public static byte[] tcp4Syn(
        final long dstMac, final long srcMac, final int srcIp, final int dstIp, final int srcPort, final int dstPort,
        final long seq) {
        return ethernet(dstMac, srcMac, ETHERTYPE_IPV4,
            ipv4Packet(srcIp, dstIp, PROTOCOL_TCP, tcpSegment4(srcIp, dstIp, srcPort, dstPort, seq, 0, TCP_FLAG_SYN, new byte[0])));
    }

    public static byte[] tcp4Syn(
        final long dstMac, final long srcMac, final String srcIp, final String dstIp, final int srcPort, final int dstPort,
        final long seq) {
        return tcp4Syn(dstMac, srcMac, ipv4(srcIp), ipv4(dstIp), srcPort, dstPort, seq);
    }

    // ---------------------------------------------------------------- pool bridge

    /**
     * Copies {@code frame} into a newly allocated buffer at the pool's headroom and returns its
     * descriptor. Throws IllegalStateException if the pool is exhausted or the frame does not fit,
     * which in a test is a bug of the test.
     */
    public static long write(final PacketPool pool, final BufferCache cache, final byte[] frame) {
        if (frame.length > pool.maxFrameLength()) {
            throw new IllegalStateException("frame of " + frame.length + " bytes exceeds the pool's " + pool.maxFrameLength());
        }
        final long empty = cache.allocateDescriptor();
        if (empty < 0) {
            throw new IllegalStateException("packet pool exhausted");
        }
        final long descriptor = Descriptor.withLength(empty, frame.length);
        pool.view().putBytes(pool.offsetOf(descriptor), frame);
        return descriptor;
    }

    /** The frame bytes a descriptor names, copied out of the pool. */
    public static byte[] read(final PacketPool pool, final long descriptor) {
        final byte[] frame = new byte[Descriptor.length(descriptor)];
        pool.view().getBytes(pool.offsetOf(descriptor), frame);
        return frame;
    }

    /** Lower-case hex of {@code bytes}, for assertion messages and fixtures. */
    public static String hex(final byte[] bytes) {
        final StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (final byte v : bytes) {
            sb.append(Character.forDigit((v >>> 4) & 0xF, 16)).append(Character.forDigit(v & 0xF, 16));
        }
        return sb.toString();
    }

    /** Bytes from hex digits (whitespace ignored). */
    public static byte[] fromHex(final String text) {
        final String digits = text.replaceAll("\\s", "");
        if ((digits.length() & 1) != 0) {
            throw new IllegalArgumentException("odd number of hex digits");
        }
        final byte[] out = new byte[digits.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(digits, 2 * i, 2 * i + 2, 16);
        }
        return out;
    }

    /** A copy of {@code frame} cut to {@code length} bytes. */
    public static byte[] truncated(final byte[] frame, final int length) {
        return Arrays.copyOf(frame, length);
    }

    // ---------------------------------------------------------------- internals

    private static byte[] udpWithoutChecksum(final int srcPort, final int dstPort, final byte[] payload) {
        final ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
        b.putShort((short) srcPort).putShort((short) dstPort).putShort((short) (8 + payload.length)).putShort((short) 0);
        b.put(payload);
        return b.array();
    }

    private static byte[] echoWithoutChecksum(final int type, final int identifier, final int sequence, final byte[] payload) {
        final ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
        b.put((byte) type).put((byte) 0).putShort((short) 0).putShort((short) identifier).putShort((short) sequence);
        b.put(payload);
        return b.array();
    }

    private static int l4Checksum6(final byte[] srcIp, final byte[] dstIp, final int nextHeader, final byte[] l4) {
        // The pseudo-header read in place needs the addresses in a buffer: lay them out before the L4 bytes.
        final byte[] scratch = new byte[32 + l4.length];
        System.arraycopy(srcIp, 0, scratch, 0, 16);
        System.arraycopy(dstIp, 0, scratch, 16, 16);
        System.arraycopy(l4, 0, scratch, 32, l4.length);
        return Checksum.ipv6L4(new UnsafeBuffer(scratch), 32, l4.length, 0, 16, nextHeader);
    }

    private static void putMac(final ByteBuffer b, final long mac) {
        b.putShort((short) (mac >>> 32)).putInt((int) mac);
    }

    private static void putShort(final byte[] bytes, final int offset, final int value) {
        bytes[offset] = (byte) (value >>> 8);
        bytes[offset + 1] = (byte) value;
    }
}

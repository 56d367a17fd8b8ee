package dev.nsdp.dataplane.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nsdp.dataplane.counter.DropReason;
import dev.nsdp.dataplane.testing.FrameBuilder;
import dev.nsdp.dataplane.testing.Frames;
import java.util.function.Consumer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * One test per layer 2..4 drop reason: a correct frame, one field broken with the flyweights (and
 * the IPv4 header checksum repaired where the point is another field), and the exact reason the
 * parser returns. The scapy fixtures hold more malformed frames built independently.
 */
class PacketParserDropReasonTest {
    private static final long DST = Frames.mac("02:00:00:00:00:02");
    private static final long SRC = Frames.mac("02:00:00:00:00:01");
    private static final String A4 = "198.18.0.1";
    private static final String B4 = "198.18.0.2";
    private static final String A6 = "2001:db8::1";
    private static final String B6 = "2001:db8::2";
    private static final int L3 = EthernetHeader.HEADER_LENGTH;
    private static final int L4_V4 = L3 + Ipv4Header.MIN_HEADER_LENGTH;
    private static final int L4_V6 = L3 + Ipv6Header.HEADER_LENGTH;

    private final PacketParser parser = new PacketParser();
    private final ParsedPacket parsed = new ParsedPacket();

    private DropReason parse(final byte[] frame) {
        return DropReason.of(parser.parse(new UnsafeBuffer(frame), 0, frame.length, parsed));
    }

    private static byte[] udp4() {
        return Frames.udp4(DST, SRC, A4, B4, 1, 2, new byte[10]);
    }

    private static byte[] udp6() {
        return Frames.udp6(DST, SRC, A6, B6, 1, 2, new byte[10]);
    }

    /**
     * Applies {@code change} to the (option-less) IPv4 header of {@code frame} and repairs the header
     * checksum over its 20 bytes, so the parser's verdict is about the changed field.
     */
    private static byte[] ipv4(final byte[] frame, final Consumer<Ipv4Header> change) {
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final Ipv4Header ip = new Ipv4Header().wrap(buffer, L3);
        change.accept(ip);
        ip.checksum(0);
        ip.checksum(Checksum.compute(buffer, L3, Ipv4Header.MIN_HEADER_LENGTH));
        return frame;
    }

    @Test
    void sanityTheUnbrokenFramesParse() {
        assertEquals(DropReason.NONE, parse(udp4()));
        assertEquals(DropReason.NONE, parse(udp6()));
    }

    @Test
    void ethernetTruncated() {
        assertEquals(DropReason.ETHERNET_TRUNCATED, parse(new byte[0]));
        assertEquals(DropReason.ETHERNET_TRUNCATED, parse(Frames.truncated(udp4(), 13)));
    }

    @Test
    void ethernetSourceMulticast() {
        assertEquals(DropReason.ETHERNET_SOURCE_MULTICAST,
            parse(Frames.udp4(DST, Frames.mac("01:00:5e:00:00:01"), A4, B4, 1, 2, new byte[0])));
        assertEquals(DropReason.ETHERNET_SOURCE_MULTICAST, parse(Frames.udp4(DST, MacAddress.BROADCAST, A4, B4, 1, 2, new byte[0])));
        // A multicast destination is fine.
        assertEquals(DropReason.NONE, parse(Frames.udp4(Frames.mac("33:33:00:00:00:01"), SRC, A4, B4, 1, 2, new byte[0])));
    }

    @Test
    void ethernetLengthField() {
        assertEquals(DropReason.ETHERNET_LENGTH_FIELD, parse(Frames.ethernet(DST, SRC, 46, new byte[46])));
        assertEquals(DropReason.ETHERNET_LENGTH_FIELD, parse(Frames.ethernet(DST, SRC, 0x05FF, new byte[46])));
        assertEquals(DropReason.NONE, parse(Frames.ethernet(DST, SRC, 0x0600, new byte[46])));
        // Inside a tag too.
        assertEquals(DropReason.ETHERNET_LENGTH_FIELD, parse(Frames.tagged(Frames.ethernet(DST, SRC, 46, new byte[46]), 0x8100, 1)));
    }

    @Test
    void vlanTruncated() {
        final byte[] tagged = Frames.udp4Tagged(10, DST, SRC, A4, B4, 1, 2, new byte[0]);
        assertEquals(DropReason.VLAN_TRUNCATED, parse(Frames.truncated(tagged, 17)));
        assertEquals(DropReason.VLAN_TRUNCATED, parse(Frames.truncated(tagged, 14)));
        final byte[] qinq = Frames.udp4QinQ(10, 20, DST, SRC, A4, B4, 1, 2, new byte[0]);
        assertEquals(DropReason.VLAN_TRUNCATED, parse(Frames.truncated(qinq, 21)));
        // Tags whole but nothing after them: the tags are fine, the IPv4 header is not.
        assertEquals(DropReason.IPV4_TRUNCATED, parse(Frames.truncated(qinq, 22)));
    }

    @Test
    void vlanTooManyTags() {
        final byte[] three = Frames.tagged(Frames.udp4QinQ(10, 20, DST, SRC, A4, B4, 1, 2, new byte[0]), EtherType.QINQ, 30);
        assertEquals(DropReason.VLAN_TOO_MANY_TAGS, parse(three));
    }

    @Test
    void arpTruncated() {
        final byte[] arp = Frames.arpRequest(SRC, A4, B4);
        assertEquals(DropReason.ARP_TRUNCATED, parse(Frames.truncated(arp, L3 + 27)));
        assertEquals(DropReason.ARP_TRUNCATED, parse(Frames.truncated(arp, L3 + 7)));
        assertEquals(DropReason.NONE, parse(arp));
    }

    @Test
    void arpUnsupported() {
        for (final Consumer<ArpPacket> change : java.util.List.<Consumer<ArpPacket>>of(
            a -> a.hardwareType(6), a -> a.protocolType(EtherType.IPV6), a -> a.hardwareLength(8), a -> a.protocolLength(16))) {
            final byte[] arp = Frames.arpRequest(SRC, A4, B4);
            change.accept(new ArpPacket().wrap(new UnsafeBuffer(arp), L3));
            assertEquals(DropReason.ARP_UNSUPPORTED, parse(arp));
        }
    }

    @Test
    void ipv4Truncated() {
        assertEquals(DropReason.IPV4_TRUNCATED, parse(Frames.truncated(udp4(), L3 + 19)));
        // Total length beyond the frame.
        assertEquals(DropReason.IPV4_TRUNCATED, parse(Frames.truncated(udp4(), udp4().length - 1)));
    }

    @Test
    void ipv4BadVersion() {
        assertEquals(DropReason.IPV4_BAD_VERSION, parse(ipv4(udp4(), ip -> ip.versionIhl(0x65))));
    }

    @Test
    void ipv4BadHeaderLength() {
        assertEquals(DropReason.IPV4_BAD_HEADER_LENGTH, parse(ipv4(udp4(), ip -> ip.versionIhl(0x44))));
        // IHL 15 (60 bytes) in a 38-byte packet: beyond the total length.
        assertEquals(DropReason.IPV4_BAD_HEADER_LENGTH, parse(ipv4(udp4(), ip -> ip.versionIhl(0x4F))));
    }

    @Test
    void ipv4BadTotalLength() {
        assertEquals(DropReason.IPV4_BAD_TOTAL_LENGTH, parse(ipv4(udp4(), ip -> ip.totalLength(19))));
        assertEquals(DropReason.IPV4_BAD_TOTAL_LENGTH, parse(ipv4(udp4(), ip -> ip.totalLength(0))));
    }

    @Test
    void ipv4BadChecksum() {
        final byte[] frame = udp4();
        final Ipv4Header ip = new Ipv4Header().wrap(new UnsafeBuffer(frame), L3);
        ip.checksum(ip.checksum() ^ 0x0100);
        assertEquals(DropReason.IPV4_BAD_CHECKSUM, parse(frame));
        // A changed field without a repaired checksum is caught the same way.
        final byte[] ttl = udp4();
        new Ipv4Header().wrap(new UnsafeBuffer(ttl), L3).ttl(1);
        assertEquals(DropReason.IPV4_BAD_CHECKSUM, parse(ttl));
    }

    @Test
    void ipv4BadOptions() {
        for (final String options : new String[] {"07010000", "01440000", "07070400", "01010183", "9e00" + "0000"}) {
            final byte[] frame = FrameBuilder.ethernet(DST, SRC).ipv4(A4, B4).ipv4Options(Frames.fromHex(options)).udp(1, 2).build();
            assertEquals(DropReason.IPV4_BAD_OPTIONS, parse(frame), options);
        }
        // NOPs, a well-formed option, and End of List followed by anything are fine.
        for (final String options : new String[] {"01010101", "94040000", "00ffffff", "01940400" + "0000" + "0000"}) {
            final byte[] frame = FrameBuilder.ethernet(DST, SRC).ipv4(A4, B4).ipv4Options(Frames.fromHex(options)).udp(1, 2).build();
            assertEquals(DropReason.NONE, parse(frame), options);
        }
    }

    @Test
    void ipv6Truncated() {
        assertEquals(DropReason.IPV6_TRUNCATED, parse(Frames.truncated(udp6(), L3 + 39)));
        assertEquals(DropReason.IPV6_TRUNCATED, parse(Frames.truncated(udp6(), udp6().length - 1)));
    }

    @Test
    void ipv6BadVersion() {
        final byte[] frame = udp6();
        new Ipv6Header().wrap(new UnsafeBuffer(frame), L3).versionClassFlow(0x4000_0000);
        assertEquals(DropReason.IPV6_BAD_VERSION, parse(frame));
    }

    @Test
    void ipv6BadExtensionHeader() {
        // Header length running past the payload.
        final byte[] longHeader = FrameBuilder.ethernet(DST, SRC).ipv6(A6, B6)
            .extension(IpProtocol.IPV6_DESTINATION_OPTIONS, Frames.fromHex("010400000000")).udp(1, 2).build();
        new Ipv6ExtensionHeader().wrap(new UnsafeBuffer(longHeader), L4_V6, IpProtocol.IPV6_DESTINATION_OPTIONS).lengthField(3);
        assertEquals(DropReason.IPV6_BAD_EXTENSION_HEADER, parse(longHeader));
        // Fewer than 8 bytes left for an extension header.
        final byte[] shortHeader = FrameBuilder.ethernet(DST, SRC).ipv6(A6, B6).rawProtocol(IpProtocol.IPV6_ROUTING)
            .payload(new byte[] {17, 0, 0, 0}).build();
        assertEquals(DropReason.IPV6_BAD_EXTENSION_HEADER, parse(shortHeader));
        // Hop-by-hop anywhere but first.
        final byte[] lateHopByHop = FrameBuilder.ethernet(DST, SRC).ipv6(A6, B6)
            .extension(IpProtocol.IPV6_DESTINATION_OPTIONS, Frames.fromHex("010400000000"))
            .extension(IpProtocol.HOP_BY_HOP, Frames.fromHex("010400000000")).udp(1, 2).build();
        assertEquals(DropReason.IPV6_BAD_EXTENSION_HEADER, parse(lateHopByHop));
        // AH whose payload length runs past the packet.
        final byte[] ah = FrameBuilder.ethernet(DST, SRC).ipv6(A6, B6)
            .extension(IpProtocol.AH, Frames.fromHex("0000" + "00000001" + "00000001")).udp(1, 2).build();
        assertEquals(DropReason.NONE, parse(ah));
        new Ipv6ExtensionHeader().wrap(new UnsafeBuffer(ah), L4_V6, IpProtocol.AH).lengthField(4);
        assertEquals(DropReason.IPV6_BAD_EXTENSION_HEADER, parse(ah));
    }

    @Test
    void ipv6TooManyExtensionHeadersIsAMalformedChain() {
        FrameBuilder builder = FrameBuilder.ethernet(DST, SRC).ipv6(A6, B6);
        for (int i = 0; i < PacketParser.MAX_IPV6_EXTENSION_HEADERS; i++) {
            builder = builder.extension(IpProtocol.IPV6_DESTINATION_OPTIONS, Frames.fromHex("010400000000"));
        }
        assertEquals(DropReason.NONE, parse(builder.udp(1, 2).build()));
        builder = builder.extension(IpProtocol.IPV6_DESTINATION_OPTIONS, Frames.fromHex("010400000000"));
        assertEquals(DropReason.IPV6_BAD_EXTENSION_HEADER, parse(builder.udp(1, 2).build()));
    }

    @Test
    void icmpTruncated() {
        final byte[] frame = FrameBuilder.ethernet(DST, SRC).ipv4(A4, B4).rawProtocol(IpProtocol.ICMP).payload(new byte[7]).build();
        assertEquals(DropReason.ICMP_TRUNCATED, parse(frame));
    }

    @Test
    void icmpv6Truncated() {
        final byte[] frame = FrameBuilder.ethernet(DST, SRC).ipv6(A6, B6).rawProtocol(IpProtocol.ICMPV6).payload(new byte[7]).build();
        assertEquals(DropReason.ICMPV6_TRUNCATED, parse(frame));
    }

    @Test
    void udpTruncated() {
        assertEquals(DropReason.UDP_TRUNCATED,
            parse(FrameBuilder.ethernet(DST, SRC).ipv4(A4, B4).rawProtocol(IpProtocol.UDP).payload(new byte[7]).build()));
        assertEquals(DropReason.UDP_TRUNCATED,
            parse(FrameBuilder.ethernet(DST, SRC).ipv6(A6, B6).rawProtocol(IpProtocol.UDP).payload(new byte[7]).build()));
    }

    @Test
    void udpBadLength() {
        final byte[] beyond = udp4();
        new UdpHeader().wrap(new UnsafeBuffer(beyond), L4_V4).length(19);
        assertEquals(DropReason.UDP_BAD_LENGTH, parse(beyond));
        final byte[] below = udp4();
        new UdpHeader().wrap(new UnsafeBuffer(below), L4_V4).length(7);
        assertEquals(DropReason.UDP_BAD_LENGTH, parse(below));
        final byte[] v6 = udp6();
        new UdpHeader().wrap(new UnsafeBuffer(v6), L4_V6).length(19);
        assertEquals(DropReason.UDP_BAD_LENGTH, parse(v6));
        // Shorter than the IP payload: trailing bytes ignored, as Linux does.
        final byte[] shorter = udp4();
        new UdpHeader().wrap(new UnsafeBuffer(shorter), L4_V4).length(8);
        assertEquals(DropReason.NONE, parse(shorter));
    }

    @Test
    void udpLengthIsNotCheckedInAFirstFragment() {
        // The first fragment's UDP length covers the whole datagram, so it exceeds the fragment.
        final byte[] first = ipv4(udp4(), ip -> ip.flagsAndFragmentOffset(Ipv4Header.FLAG_MORE_FRAGMENTS));
        new UdpHeader().wrap(new UnsafeBuffer(first), L4_V4).length(1000);
        assertEquals(DropReason.NONE, parse(first));
        assertEquals(true, parsed.isFirstFragment);
    }

    @Test
    void tcpTruncated() {
        assertEquals(DropReason.TCP_TRUNCATED,
            parse(FrameBuilder.ethernet(DST, SRC).ipv4(A4, B4).rawProtocol(IpProtocol.TCP).payload(new byte[19]).build()));
        // A first fragment too short for the TCP header (RFC 1858's tiny fragment).
        final byte[] tiny = FrameBuilder.ethernet(DST, SRC).ipv4(A4, B4).flagsAndFragmentOffset(Ipv4Header.FLAG_MORE_FRAGMENTS)
            .rawProtocol(IpProtocol.TCP).payload(new byte[16]).build();
        assertEquals(DropReason.TCP_TRUNCATED, parse(tiny));
        // A later fragment carries no TCP header, so it is not checked.
        final byte[] later = FrameBuilder.ethernet(DST, SRC).ipv4(A4, B4).flagsAndFragmentOffset(2)
            .rawProtocol(IpProtocol.TCP).payload(new byte[16]).build();
        assertEquals(DropReason.NONE, parse(later));
        assertEquals(false, parsed.hasL4Header);
    }

    @Test
    void tcpBadDataOffset() {
        final byte[] below = Frames.tcp4Syn(DST, SRC, A4, B4, 1, 2, 3);
        new TcpHeader().wrap(new UnsafeBuffer(below), L4_V4).dataOffset(4);
        assertEquals(DropReason.TCP_BAD_DATA_OFFSET, parse(below));
        final byte[] beyond = Frames.tcp4Syn(DST, SRC, A4, B4, 1, 2, 3);
        new TcpHeader().wrap(new UnsafeBuffer(beyond), L4_V4).dataOffset(6);
        assertEquals(DropReason.TCP_BAD_DATA_OFFSET, parse(beyond));
    }

    @Test
    void ipv6LaterFragmentStopsTheWalkAndSkipsL4Checks() {
        // Fragment header: next header UDP, offset field 0x0010 = 2 units = 16 bytes, M clear, id 42.
        final byte[] later = FrameBuilder.ethernet(DST, SRC).ipv6(A6, B6)
            .extension(IpProtocol.IPV6_FRAGMENT, Frames.fromHex("00100000002a")).rawProtocol(IpProtocol.UDP)
            .payload(new byte[3]).build();
        assertEquals(DropReason.NONE, parse(later));
        assertEquals(IpProtocol.UDP, parsed.protocol);
        assertEquals(true, parsed.isFragment);
        assertEquals(false, parsed.isFirstFragment);
        assertEquals(16, parsed.fragmentOffset);
        assertEquals(false, parsed.hasL4Header);
        assertEquals(L4_V6 + 8, parsed.l4Offset);
        assertEquals(3, parsed.l4Length);
    }
}

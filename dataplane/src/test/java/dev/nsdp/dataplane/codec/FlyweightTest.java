package dev.nsdp.dataplane.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.dataplane.testing.Frames;
import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Field accessors read what the fixture builders wrote, and setters write where the wire format says. */
class FlyweightTest {
    private static final long DST = Frames.mac("02:00:00:00:00:02");
    private static final long SRC = Frames.mac("02:00:00:00:00:01");
    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);

    @Test
    void ethernetAndIpv4AndUdpFieldsRead() {
        final UnsafeBuffer b = new UnsafeBuffer(Frames.udp4(DST, SRC, "198.18.0.1", "198.18.0.2", 1234, 5678, HELLO));
        final EthernetHeader eth = new EthernetHeader().wrap(b, 0, b.capacity());
        assertEquals(DST, eth.destination());
        assertEquals(SRC, eth.source());
        assertEquals(EtherType.IPV4, eth.etherType());
        final Ipv4Header ip = new Ipv4Header().wrap(b, eth.payloadOffset());
        assertEquals(4, ip.version());
        assertEquals(20, ip.headerLength());
        assertEquals(33, ip.totalLength());
        assertEquals(1, ip.identification());
        assertEquals(64, ip.ttl());
        assertEquals(IpProtocol.UDP, ip.protocol());
        assertEquals(0xeea3, ip.checksum());
        assertEquals(0xeea3, ip.computeChecksum());
        assertTrue(ip.isChecksumValid());
        assertEquals(Frames.ipv4("198.18.0.1"), ip.source());
        assertEquals(Frames.ipv4("198.18.0.2"), ip.destination());
        assertFalse(ip.isFragment());
        assertEquals(-1, ip.firstOption());
        final UdpHeader udp = new UdpHeader().wrap(b, ip.payloadOffset());
        assertEquals(1234, udp.sourcePort());
        assertEquals(5678, udp.destinationPort());
        assertEquals(13, udp.length());
        assertEquals(0x14da, udp.checksum());
        udp.updateChecksum(ip);
        assertEquals(0x14da, udp.checksum());
    }

    @Test
    void ttlDecrementPatchesTheChecksum() {
        final UnsafeBuffer b = new UnsafeBuffer(Frames.udp4(DST, SRC, "198.18.0.1", "198.18.0.2", 1234, 5678, HELLO));
        final Ipv4Header ip = new Ipv4Header().wrap(b, 14);
        for (int ttl = 63; ttl >= 1; ttl--) {
            ip.decrementTtl();
            assertEquals(ttl, ip.ttl());
            assertTrue(ip.isChecksumValid(), "after decrement to " + ttl);
            assertEquals(ip.computeChecksum(), ip.checksum());
        }
    }

    @Test
    void vlanPushThenPopRestoresTheFrame() {
        final byte[] untagged = Frames.udp4(DST, SRC, "198.18.0.1", "198.18.0.2", 1234, 5678, HELLO);
        final byte[] room = new byte[untagged.length + 8];
        System.arraycopy(untagged, 0, room, 8, untagged.length);
        final UnsafeBuffer b = new UnsafeBuffer(room);
        final int tagged = VlanTag.push(b, 8, EtherType.VLAN, 100);
        assertEquals(4, tagged);
        final byte[] expected = Frames.udp4Tagged(100, DST, SRC, "198.18.0.1", "198.18.0.2", 1234, 5678, HELLO);
        final byte[] actual = new byte[expected.length];
        b.getBytes(tagged, actual);
        assertArrayEquals(expected, actual);

        final VlanTag tag = new VlanTag().wrap(b, tagged + EthernetHeader.ETHER_TYPE_OFFSET);
        assertEquals(EtherType.VLAN, tag.tpid());
        assertEquals(100, tag.vlanId());
        assertEquals(0, tag.priority());
        assertEquals(EtherType.IPV4, tag.nextEtherType());
        tag.priority(5).dropEligible(true).vlanId(4094);
        assertEquals(0xBFFE, tag.tci());
        assertEquals(5, tag.priority());
        assertTrue(tag.dropEligible());
        tag.vlanId(100).priority(0).dropEligible(false);

        final int untaggedOffset = VlanTag.pop(b, tagged);
        assertEquals(8, untaggedOffset);
        final byte[] back = new byte[untagged.length];
        b.getBytes(untaggedOffset, back);
        assertArrayEquals(untagged, back);
    }

    @Test
    void arpFieldsRead() {
        final UnsafeBuffer b = new UnsafeBuffer(Frames.arpReply(SRC, "198.18.0.1", DST, "198.18.0.2"));
        final ArpPacket arp = new ArpPacket().wrap(b, 14);
        assertEquals(1, arp.hardwareType());
        assertEquals(EtherType.IPV4, arp.protocolType());
        assertEquals(6, arp.hardwareLength());
        assertEquals(4, arp.protocolLength());
        assertEquals(ArpPacket.OPERATION_REPLY, arp.operation());
        assertEquals(SRC, arp.senderMac());
        assertEquals(Frames.ipv4("198.18.0.1"), arp.senderIp());
        assertEquals(DST, arp.targetMac());
        assertEquals(Frames.ipv4("198.18.0.2"), arp.targetIp());
    }

    @Test
    void ipv6AndIcmpv6FieldsRead() {
        final UnsafeBuffer b = new UnsafeBuffer(Frames.icmpv6EchoRequest(DST, SRC, "2001:db8::1", "2001:db8::2", 7, 9, HELLO));
        final Ipv6Header ip = new Ipv6Header().wrap(b, 14);
        assertEquals(6, ip.version());
        assertEquals(0, ip.trafficClass());
        assertEquals(0, ip.flowLabel());
        assertEquals(13, ip.payloadLength());
        assertEquals(IpProtocol.ICMPV6, ip.nextHeader());
        assertEquals(64, ip.hopLimit());
        assertEquals(0x20010db800000000L, ip.sourceHigh());
        assertEquals(1L, ip.sourceLow());
        assertEquals(2L, ip.destinationLow());
        ip.trafficClass(0xB8).flowLabel(0xABCDE);
        assertEquals(0xB8, ip.trafficClass());
        assertEquals(0xABCDE, ip.flowLabel());
        assertEquals(6, ip.version());
        ip.trafficClass(0).flowLabel(0);
        final Icmpv6Header icmp = new Icmpv6Header().wrap(b, ip.payloadOffset());
        assertEquals(128, icmp.type());
        assertEquals(7, icmp.identifier());
        assertEquals(9, icmp.sequence());
        assertEquals(0xe060, icmp.checksum());
        icmp.updateChecksum(ip, 13);
        assertEquals(0xe060, icmp.checksum());
    }

    @Test
    void tcpFieldsRead() {
        final UnsafeBuffer b = new UnsafeBuffer(Frames.tcp4Syn(DST, SRC, "198.18.0.1", "198.18.0.2", 1234, 80, 0xFFFFFFF0L));
        final Ipv4Header ip = new Ipv4Header().wrap(b, 14);
        final TcpHeader tcp = new TcpHeader().wrap(b, ip.payloadOffset());
        assertEquals(1234, tcp.sourcePort());
        assertEquals(80, tcp.destinationPort());
        assertEquals(0xFFFFFFF0L, tcp.sequence());
        assertEquals(0, tcp.acknowledgment());
        assertEquals(5, tcp.dataOffset());
        assertEquals(TcpHeader.FLAG_SYN, tcp.flags());
        assertEquals(8192, tcp.window());
        final int stored = tcp.checksum();
        tcp.updateChecksum(ip, 20);
        assertEquals(stored, tcp.checksum());
        assertEquals(-1, tcp.firstOption());
    }

    @Test
    void extensionHeaderBitmapsMatchTheList() {
        final java.util.Set<Integer> extensions = java.util.Set.of(0, 43, 44, 51, 60, 135, 139, 140);
        for (int nextHeader = 0; nextHeader < 256; nextHeader++) {
            assertEquals(extensions.contains(nextHeader), IpProtocol.isIpv6ExtensionHeader(nextHeader), "next header " + nextHeader);
        }
    }

    @Test
    void extensionHeaderLengths() {
        assertEquals(8, Ipv6ExtensionHeader.length(IpProtocol.HOP_BY_HOP, 0));
        assertEquals(24, Ipv6ExtensionHeader.length(IpProtocol.IPV6_ROUTING, 2));
        assertEquals(2048, Ipv6ExtensionHeader.length(IpProtocol.IPV6_DESTINATION_OPTIONS, 255));
        assertEquals(8, Ipv6ExtensionHeader.length(IpProtocol.IPV6_FRAGMENT, 200));
        assertEquals(24, Ipv6ExtensionHeader.length(IpProtocol.AH, 4));
    }
}

package dev.nsdp.dataplane.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.dataplane.buffer.BufferCache;
import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.counter.DropReason;
import dev.nsdp.dataplane.testing.Frames;
import java.lang.management.ManagementFactory;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Well-formed frames parse into the fields they were built with. The scapy fixtures cover more shapes. */
class PacketParserTest {
    private static final long DST = Frames.mac("02:00:00:00:00:02");
    private static final long SRC = Frames.mac("02:00:00:00:00:01");

    private final PacketParser parser = new PacketParser();
    private final ParsedPacket p = new ParsedPacket();

    private DropReason parse(final byte[] frame) {
        return DropReason.of(parser.parse(new UnsafeBuffer(frame), 0, frame.length, p));
    }

    @Test
    void udp4InAPoolBufferUsesAbsoluteOffsets() {
        try (PacketPool pool = new PacketPool(4)) {
            final BufferCache cache = pool.newCache(2);
            final byte[] frame = Frames.udp4(DST, SRC, "198.18.0.1", "198.18.0.2", 1234, 5678, new byte[18]);
            final long descriptor = Frames.write(pool, cache, frame);
            final int offset = pool.offsetOf(descriptor);
            assertEquals(0, parser.parse(pool.view(), offset, frame.length, p));
            assertEquals(offset, p.frameOffset);
            assertEquals(DST, p.dstMac);
            assertEquals(SRC, p.srcMac);
            assertEquals(0, p.vlanCount);
            assertEquals(EtherType.IPV4, p.etherType);
            assertEquals(offset + 14, p.l3Offset);
            assertEquals(46, p.l3Length);
            assertEquals(4, p.ipVersion);
            assertEquals(20, p.ipHeaderLength);
            assertEquals(IpProtocol.UDP, p.protocol);
            assertEquals(64, p.ttl);
            assertFalse(p.isFragment);
            assertEquals(Frames.ipv4("198.18.0.1"), p.ipv4Src);
            assertEquals(Frames.ipv4("198.18.0.2"), p.ipv4Dst);
            assertEquals(offset + 34, p.l4Offset);
            assertEquals(26, p.l4Length);
            assertTrue(p.hasL4Header);
            assertEquals(1234, p.srcPort);
            assertEquals(5678, p.dstPort);
            cache.free(descriptor);
        }
    }

    @Test
    void ethernetPaddingAfterTheIpPacketIsAccepted() {
        final byte[] frame = Frames.udp4(DST, SRC, "198.18.0.1", "198.18.0.2", 1, 2, new byte[1]);
        final byte[] padded = java.util.Arrays.copyOf(frame, 60);
        assertEquals(DropReason.NONE, parse(padded));
        assertEquals(29, p.l3Length);
        assertEquals(9, p.l4Length);
    }

    @Test
    void qinqTagsAreReported() {
        assertEquals(DropReason.NONE, parse(Frames.udp4QinQ(
            0x2000 | 10, 20, DST, SRC, "198.18.0.1", "198.18.0.2", 1, 2, new byte[0])));
        assertEquals(2, p.vlanCount);
        assertEquals(EtherType.QINQ, p.outerTpid);
        assertEquals(0x2000 | 10, p.outerTci);
        assertEquals(10, p.outerVlanId);
        assertEquals(EtherType.VLAN, p.innerTpid);
        assertEquals(20, p.innerVlanId);
        assertEquals(EtherType.IPV4, p.etherType);
        assertEquals(22, p.l3Offset);
        assertEquals(IpProtocol.UDP, p.protocol);
    }

    @Test
    void unknownEtherTypeIsWellFormedWithoutL3Fields() {
        final byte[] frame = Frames.ethernet(DST, SRC, 0x88B5, new byte[46]);
        assertEquals(DropReason.NONE, parse(frame));
        assertEquals(0x88B5, p.etherType);
        assertEquals(14, p.l3Offset);
        assertEquals(46, p.l3Length);
        assertEquals(0, p.ipVersion);
        assertEquals(0, p.protocol);
        assertEquals(0, p.l4Offset);
    }

    @Test
    void arpFieldsAreReported() {
        assertEquals(DropReason.NONE, parse(Frames.arpRequest(SRC, "198.18.0.1", "198.18.0.2")));
        assertEquals(MacAddress.BROADCAST, p.dstMac);
        assertEquals(EtherType.ARP, p.etherType);
        assertEquals(1, p.arpOperation);
        assertEquals(SRC, p.arpSenderMac);
        assertEquals(Frames.ipv4("198.18.0.1"), p.arpSenderIp);
        assertEquals(0, p.arpTargetMac);
        assertEquals(Frames.ipv4("198.18.0.2"), p.arpTargetIp);
        assertEquals(28, p.l3Length);
    }

    @Test
    void icmpAndTcpAndIcmpv6() {
        assertEquals(DropReason.NONE, parse(Frames.icmpEchoRequest4(DST, SRC, "198.18.0.1", "198.18.0.2", 1, 2, new byte[4])));
        assertEquals(IcmpHeader.TYPE_ECHO_REQUEST, p.icmpType);
        assertEquals(0, p.srcPort);
        assertEquals(DropReason.NONE, parse(Frames.tcp4Syn(DST, SRC, "198.18.0.1", "198.18.0.2", 40000, 443, 1)));
        assertEquals(TcpHeader.FLAG_SYN, p.tcpFlags);
        assertEquals(40000, p.srcPort);
        assertEquals(443, p.dstPort);
        assertEquals(DropReason.NONE, parse(Frames.icmpv6EchoRequest(DST, SRC, "2001:db8::1", "fd00::2", 1, 2, new byte[4])));
        assertEquals(6, p.ipVersion);
        assertEquals(IpProtocol.ICMPV6, p.protocol);
        assertEquals(Icmpv6Header.TYPE_ECHO_REQUEST, p.icmpType);
        assertEquals(0x20010db800000000L, p.ipv6SrcHigh);
        assertEquals(1L, p.ipv6SrcLow);
        assertEquals(0xfd00000000000000L, p.ipv6DstHigh);
        assertEquals(2L, p.ipv6DstLow);
        assertEquals(64, p.ttl);
        assertEquals(54, p.l4Offset);
    }

    @Test
    void parsingAllocatesNothing() {
        final byte[][] frames = {
            Frames.udp4(DST, SRC, "198.18.0.1", "198.18.0.2", 1, 2, new byte[18]),
            Frames.udp6QinQ(1, 2, DST, SRC, "2001:db8::1", "2001:db8::2", 1, 2, new byte[18]),
            Frames.arpRequest(SRC, "198.18.0.1", "198.18.0.2"),
            Frames.truncated(Frames.tcp4Syn(DST, SRC, "198.18.0.1", "198.18.0.2", 1, 2, 3), 40),
        };
        final UnsafeBuffer[] buffers = new UnsafeBuffer[frames.length];
        for (int i = 0; i < frames.length; i++) {
            buffers[i] = new UnsafeBuffer(frames[i]);
        }
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().threadId();
        long sink = 0;
        // Warm up first so the JIT's own bookkeeping is not charged to the measured loop.
        for (int i = 0; i < 200_000; i++) {
            sink += parser.parse(buffers[i & 3], 0, frames[i & 3].length, p);
        }
        final long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 1_000_000; i++) {
            sink += parser.parse(buffers[i & 3], 0, frames[i & 3].length, p);
        }
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertEquals((200_000 + 1_000_000) / 4 * DropReason.IPV4_TRUNCATED.ordinal(), sink);
        // A little slack for the measurement itself (the MXBean call may allocate once).
        assertTrue(allocated < 1024, "parse allocated " + allocated + " bytes over a million frames");
    }
}

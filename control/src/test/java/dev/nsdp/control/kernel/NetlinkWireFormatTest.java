package dev.nsdp.control.kernel;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** The message writer's lengths, 4-byte alignment, zeroed padding and nesting, byte by byte. */
class NetlinkWireFormatTest {
    @Test
    void attributesArePaddedToFourBytesWithZeroesAndLengthsExcludePadding() {
        final NetlinkMessageWriter w = new NetlinkMessageWriter(16);
        w.begin(RtMessages.RTM_NEWLINK, NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_ACK, 42);
        w.struct(RtMessages.IFINFOMSG_LENGTH);
        w.attributeString(LinkAttributes.IFLA_IFNAME, "v0");   // 4 + 3 = 7 -> padded to 8
        w.attributeU8(LinkAttributes.IFLA_OPERSTATE, 6);       // 4 + 1 = 5 -> 8
        w.attributeU32(LinkAttributes.IFLA_MTU, 1400);         // 8
        w.end();
        final MemorySegment m = w.segment();
        assertEquals(16 + 16 + 8 + 8 + 8, w.length());
        assertEquals(w.length(), m.get(JAVA_INT_UNALIGNED, 0));
        assertEquals(RtMessages.RTM_NEWLINK, m.get(JAVA_SHORT_UNALIGNED, 4));
        assertEquals(5, m.get(JAVA_SHORT_UNALIGNED, 6));
        assertEquals(42, m.get(JAVA_INT_UNALIGNED, 8));
        assertEquals(0, m.get(JAVA_INT_UNALIGNED, 12));
        final int a = 32;
        assertEquals(7, m.get(JAVA_SHORT_UNALIGNED, a));
        assertEquals(LinkAttributes.IFLA_IFNAME, m.get(JAVA_SHORT_UNALIGNED, a + 2));
        assertArrayEquals(new byte[] {'v', '0', 0, 0}, m.asSlice(a + 4, 4).toArray(JAVA_BYTE));
        assertEquals(5, m.get(JAVA_SHORT_UNALIGNED, a + 8));
        assertArrayEquals(new byte[] {6, 0, 0, 0}, m.asSlice(a + 12, 4).toArray(JAVA_BYTE));
        assertEquals(1400, m.get(JAVA_INT_UNALIGNED, a + 20));
    }

    @Test
    void nestedAttributesCarryTheFlagAndTheirWholeLength() {
        final NetlinkMessageWriter w = new NetlinkMessageWriter(16);
        w.begin(RtMessages.RTM_NEWLINK, 1, 1);
        w.struct(RtMessages.IFINFOMSG_LENGTH);
        w.beginNested(LinkAttributes.IFLA_LINKINFO);
        w.attributeString(LinkAttributes.IFLA_INFO_KIND, "veth");  // 4 + 5 -> 12
        w.beginNested(LinkAttributes.IFLA_INFO_DATA);
        w.beginNested(LinkAttributes.VETH_INFO_PEER);
        w.struct(RtMessages.IFINFOMSG_LENGTH);
        w.attributeString(LinkAttributes.IFLA_IFNAME, "eth0");     // 4 + 5 -> 12
        w.endNested();
        w.endNested();
        w.endNested();
        w.end();
        final MemorySegment m = w.segment();
        final int linkinfo = 32;
        assertEquals(4 + 12 + 4 + 4 + 16 + 12, m.get(JAVA_SHORT_UNALIGNED, linkinfo));
        assertEquals(LinkAttributes.IFLA_LINKINFO | NetlinkProtocol.NLA_F_NESTED,
            Short.toUnsignedInt(m.get(JAVA_SHORT_UNALIGNED, linkinfo + 2)));

        final NetlinkAttributes top = NetlinkAttributes.parse(m, 32, w.length() - 32);
        final NetlinkAttributes info = top.nested(LinkAttributes.IFLA_LINKINFO);
        assertEquals("veth", info.string(LinkAttributes.IFLA_INFO_KIND));
        final NetlinkAttributes peer = info.nested(LinkAttributes.IFLA_INFO_DATA);
        assertEquals(16 + 12, peer.length(LinkAttributes.VETH_INFO_PEER), "payload: the peer ifinfomsg and its name");
    }

    @Test
    void severalMessagesFollowEachOtherAligned() {
        final NetlinkMessageWriter w = new NetlinkMessageWriter(16);
        for (int i = 0; i < 100; i++) {
            w.begin(RtMessages.RTM_DELLINK, 5, i + 1);
            w.struct(RtMessages.IFINFOMSG_LENGTH);
            w.attributeString(LinkAttributes.IFLA_IFNAME, "link" + i);
            w.end();
        }
        assertEquals(100, w.messageCount());
        int at = 0;
        for (int i = 0; i < 100; i++) {
            final int length = w.segment().get(JAVA_INT_UNALIGNED, at);
            assertEquals(i + 1, w.segment().get(JAVA_INT_UNALIGNED, at + 8));
            at += NetlinkProtocol.align(length);
        }
        assertEquals(w.length(), at);
    }

    @Test
    void parserStopsAtAnAttributeThatRunsPastItsContainer() {
        final MemorySegment m = MemorySegment.ofArray(new byte[16]);
        m.set(JAVA_SHORT_UNALIGNED, 0, (short) 8);
        m.set(JAVA_SHORT_UNALIGNED, 2, (short) LinkAttributes.IFLA_MTU);
        m.set(JAVA_INT_UNALIGNED, 4, 9000);
        m.set(JAVA_SHORT_UNALIGNED, 8, (short) 200);          // claims 200 bytes in a 16-byte container
        m.set(JAVA_SHORT_UNALIGNED, 10, (short) LinkAttributes.IFLA_IFNAME);
        final NetlinkAttributes a = NetlinkAttributes.parse(m, 0, 16);
        assertEquals(9000, a.u32(LinkAttributes.IFLA_MTU, 0));
        assertFalse(a.has(LinkAttributes.IFLA_IFNAME));
        assertNull(a.string(LinkAttributes.IFLA_IFNAME));
    }

    @Test
    void unbalancedWritesAreRefused() {
        final NetlinkMessageWriter w = new NetlinkMessageWriter(16);
        w.begin(RtMessages.RTM_NEWLINK, 1, 1);
        w.beginNested(LinkAttributes.IFLA_LINKINFO);
        assertThrows(IllegalStateException.class, w::end);
        assertThrows(IllegalStateException.class, () -> w.begin(RtMessages.RTM_NEWLINK, 1, 2));
    }
}

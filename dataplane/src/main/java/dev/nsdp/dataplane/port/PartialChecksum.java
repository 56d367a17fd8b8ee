package dev.nsdp.dataplane.port;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Completes the L4 checksum of a frame the kernel handed over as CHECKSUM_PARTIAL
 * (TP_STATUS_CSUMNOTREADY): a local TCP or UDP sender on a link with checksum offload (veth's
 * default) leaves only the folded pseudo-header sum in the checksum field and expects "hardware"
 * to add the segment. nsdp is that hardware now: without this, TCP through a forwarder dies.
 *
 * <p>The sum is taken over the L4 header and payload with the checksum field as the kernel left it,
 * then complemented, which is exactly what the NIC (or skb_checksum_help) would have done.
 *
 * <p>A deliberately small, port-local parser (Ethernet, up to two VLAN tags, IPv4 or IPv6 with
 * hop-by-hop/routing/destination-options headers, TCP or UDP), kept apart from the codec package
 * on purpose. With PACKET_VNET_HDR the kernel says where the sum starts and where it goes
 * (csum_start, csum_offset): {@link #completeAt} then needs no parsing at all.
 */
final class PartialChecksum {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETHERTYPE_QINQ = 0x88A8;
    private static final int PROTOCOL_TCP = 6;
    private static final int PROTOCOL_UDP = 17;
    private static final int TCP_CHECKSUM_OFFSET = 16;
    private static final int UDP_CHECKSUM_OFFSET = 6;

    private PartialChecksum() {
    }

    /**
     * Completes the checksum of the frame at {@code [frame, frame + length)}. Returns false, leaving
     * the frame untouched, when it is not TCP/UDP over IPv4/IPv6 as parsed here or is cut short.
     */
    static boolean complete(final MemorySegment memory, final long frame, final int length) {
        int offset = 12;
        if (length < offset + 2) {
            return false;
        }
        int etherType = u16(memory, frame + offset);
        for (int tags = 0; tags < 2 && (etherType == ETHERTYPE_VLAN || etherType == ETHERTYPE_QINQ); tags++) {
            offset += 4;
            if (length < offset + 2) {
                return false;
            }
            etherType = u16(memory, frame + offset);
        }
        final int ip = offset + 2;
        final int protocol;
        final int l4;
        final int l4Length;
        if (etherType == ETHERTYPE_IPV4) {
            if (length < ip + 20) {
                return false;
            }
            final int headerLength = (memory.get(ValueLayout.JAVA_BYTE, frame + ip) & 0x0F) * 4;
            final int totalLength = u16(memory, frame + ip + 2);
            final int fragment = u16(memory, frame + ip + 6) & 0x3FFF; // MF flag or a fragment offset
            if (headerLength < 20 || totalLength < headerLength || fragment != 0) {
                return false;
            }
            protocol = memory.get(ValueLayout.JAVA_BYTE, frame + ip + 9) & 0xFF;
            l4 = ip + headerLength;
            l4Length = totalLength - headerLength;
        } else if (etherType == ETHERTYPE_IPV6) {
            if (length < ip + 40) {
                return false;
            }
            int next = memory.get(ValueLayout.JAVA_BYTE, frame + ip + 6) & 0xFF;
            int at = ip + 40;
            final int end = ip + 40 + u16(memory, frame + ip + 4);
            // Hop-by-hop (0), routing (43), destination options (60): 8-byte units after the first 8.
            for (int headers = 0; headers < 8 && (next == 0 || next == 43 || next == 60); headers++) {
                if (end < at + 8 || length < at + 8) {
                    return false;
                }
                next = memory.get(ValueLayout.JAVA_BYTE, frame + at) & 0xFF;
                at += ((memory.get(ValueLayout.JAVA_BYTE, frame + at + 1) & 0xFF) + 1) * 8;
            }
            protocol = next;
            l4 = at;
            l4Length = end - at;
        } else {
            return false;
        }
        final int checksumOffset;
        if (protocol == PROTOCOL_TCP) {
            checksumOffset = TCP_CHECKSUM_OFFSET;
        } else if (protocol == PROTOCOL_UDP) {
            checksumOffset = UDP_CHECKSUM_OFFSET;
        } else {
            return false;
        }
        if (l4Length < checksumOffset + 2 || l4 + l4Length > length) {
            return false;
        }
        int checksum = ~fold(sum(memory, frame + l4, l4Length)) & 0xFFFF;
        if (checksum == 0) {
            checksum = 0xFFFF; // as skb_checksum_help: UDP reads 0 as "none"; for TCP both are ones'-complement zero
        }
        memory.set(U16, frame + l4 + checksumOffset, (short) checksum);
        return true;
    }

    /** SCTP keeps its CRC32c at offset 8 of its header; the kernel marks it partial too (csum_not_inet). */
    static final int SCTP_CHECKSUM_OFFSET = 8;

    /**
     * Completes the checksum the way the kernel's skb_checksum_help does, where the virtio-net header
     * said it is: the ones'-complement sum over {@code [start, length)} of the frame (the checksum
     * field already holds the pseudo-header sum) is complemented into {@code start + offset}. Returns
     * false, leaving the frame untouched, when that lies outside the frame, or when the offset is
     * SCTP's: its CRC32c is not an Internet checksum (counted as unresolved; SCTP with CRC offload
     * through nsdp is not supported).
     */
    static boolean completeAt(final MemorySegment memory, final long frame, final int length, final int start,
                              final int offset) {
        if (offset == SCTP_CHECKSUM_OFFSET || start < 14 || start + offset + 2 > length) {
            return false;
        }
        int checksum = ~fold(sum(memory, frame + start, length - start)) & 0xFFFF;
        if (checksum == 0) {
            checksum = 0xFFFF;
        }
        memory.set(U16, frame + start + offset, (short) checksum);
        return true;
    }

    /** Ones'-complement sum (unfolded) of {@code length} bytes at {@code at}, as 16-bit big-endian words. */
    static long sum(final MemorySegment memory, final long at, final int length) {
        long sum = 0;
        int i = 0;
        // 32-bit words add up to the same folded sum as their 16-bit halves (2^16 = 1 mod 0xFFFF);
        // one 64-bit load gives two of them. The long cannot overflow: 64 KiB adds up to below 2^47.
        for (; i + 8 <= length; i += 8) {
            final long eight = memory.get(U64, at + i);
            sum += (eight >>> 32) + (eight & 0xFFFF_FFFFL);
        }
        if (i + 4 <= length) {
            sum += memory.get(U32, at + i) & 0xFFFF_FFFFL;
            i += 4;
        }
        if (i + 2 <= length) {
            sum += u16(memory, at + i);
            i += 2;
        }
        if (i < length) {
            sum += (memory.get(ValueLayout.JAVA_BYTE, at + i) & 0xFF) << 8;
        }
        return sum;
    }

    static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    private static int u16(final MemorySegment memory, final long at) {
        return Short.toUnsignedInt(memory.get(U16, at));
    }
}

package dev.nsdp.dataplane.codec;

import dev.nsdp.dataplane.counter.DropReason;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;

/**
 * Validates a frame from Ethernet to the transport header and records what the pipeline needs in a
 * {@link ParsedPacket}. Every length is checked before it is read, so no input, however
 * truncated or hostile, reads outside {@code [offset, offset + length)} or throws: the answer is a
 * {@link DropReason} ordinal, {@code 0} ({@link DropReason#NONE}) for a well-formed frame.
 *
 * <p>Unknown EtherTypes and IP protocols are well-formed (a switch carries them); what is checked
 * is what the pipeline reads. Transport headers are checked on unfragmented packets and first
 * fragments only. The IPv4 header checksum is verified (20 bytes, cheap); transport checksums are
 * not (routers do not, and offloads leave them unfinished on veth).
 */
public final class PacketParser {
    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_ARP = 0x0806;
    public static final int ETHERTYPE_IPV6 = 0x86DD;
    public static final int ETHERTYPE_VLAN = 0x8100;
    public static final int ETHERTYPE_QINQ = 0x88A8;
    public static final int PROTO_ICMP = 1;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;
    public static final int PROTO_ICMPV6 = 58;

    private static final int NONE = DropReason.NONE.ordinal();
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;
    private static final int ETHERNET_HEADER = 14;
    private static final int IPV6_HEADER = 40;
    private static final int MAX_EXTENSION_HEADERS = 8;

    public int parse(final DirectBuffer buffer, final int offset, final int length, final ParsedPacket out) {
        out.clearL3();
        out.vlanCount = 0;
        out.outerTpid = 0;
        out.outerVlanId = 0;
        out.innerVlanId = 0;
        if (length < ETHERNET_HEADER) {
            return DropReason.ETHERNET_TRUNCATED.ordinal();
        }
        out.dstMac = MacAddress.read(buffer, offset);
        out.srcMac = MacAddress.read(buffer, offset + 6);
        if (MacAddress.isMulticast(out.srcMac)) {
            return DropReason.ETHERNET_SOURCE_MULTICAST.ordinal();
        }
        final int end = offset + length;
        int at = offset + 12;
        int type = buffer.getShort(at, BE) & 0xFFFF;
        while (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ) {
            if (out.vlanCount == 2) {
                return DropReason.VLAN_TOO_MANY_TAGS.ordinal();
            }
            if (at + 6 > end) {
                return DropReason.VLAN_TRUNCATED.ordinal();
            }
            final int vid = buffer.getShort(at + 2, BE) & 0x0FFF;
            if (out.vlanCount == 0) {
                out.outerTpid = type;
                out.outerVlanId = vid;
            } else {
                out.innerVlanId = vid;
            }
            out.vlanCount++;
            at += 4;
            type = buffer.getShort(at, BE) & 0xFFFF;
        }
        if (type < 0x0600) {
            return DropReason.ETHERNET_LENGTH_FIELD.ordinal();
        }
        out.etherType = type;
        final int l3 = at + 2;
        out.l3Offset = l3;
        return switch (type) {
            case ETHERTYPE_IPV4 -> parseIpv4(buffer, l3, end, out);
            case ETHERTYPE_IPV6 -> parseIpv6(buffer, l3, end, out);
            case ETHERTYPE_ARP -> parseArp(buffer, l3, end, out);
            default -> {
                out.l3Length = end - l3;
                yield NONE;
            }
        };
    }

    private static int parseArp(final DirectBuffer buffer, final int at, final int end, final ParsedPacket out) {
        if (at + 8 > end) {
            return DropReason.ARP_TRUNCATED.ordinal();
        }
        final int hardwareType = buffer.getShort(at, BE) & 0xFFFF;
        final int protocolType = buffer.getShort(at + 2, BE) & 0xFFFF;
        final int hardwareLength = buffer.getByte(at + 4) & 0xFF;
        final int protocolLength = buffer.getByte(at + 5) & 0xFF;
        if (hardwareType != 1 || protocolType != ETHERTYPE_IPV4 || hardwareLength != 6 || protocolLength != 4) {
            return DropReason.ARP_UNSUPPORTED.ordinal();
        }
        if (at + 28 > end) {
            return DropReason.ARP_TRUNCATED.ordinal();
        }
        out.l3Length = 28;
        out.srcIpv4 = buffer.getInt(at + 14, BE);
        out.dstIpv4 = buffer.getInt(at + 24, BE);
        return NONE;
    }

    private static int parseIpv4(final DirectBuffer buffer, final int at, final int end, final ParsedPacket out) {
        if (at + 20 > end) {
            return DropReason.IPV4_TRUNCATED.ordinal();
        }
        final int versionIhl = buffer.getByte(at) & 0xFF;
        if ((versionIhl >>> 4) != 4) {
            return DropReason.IPV4_BAD_VERSION.ordinal();
        }
        final int headerLength = (versionIhl & 0xF) * 4;
        final int totalLength = buffer.getShort(at + 2, BE) & 0xFFFF;
        if (headerLength < 20) {
            return DropReason.IPV4_BAD_HEADER_LENGTH.ordinal();
        }
        if (totalLength < headerLength) {
            return totalLength < 20 ? DropReason.IPV4_BAD_TOTAL_LENGTH.ordinal() : DropReason.IPV4_BAD_HEADER_LENGTH.ordinal();
        }
        if (at + totalLength > end) {
            return DropReason.IPV4_TRUNCATED.ordinal();
        }
        if (!Checksum.isValid(buffer, at, headerLength)) {
            return DropReason.IPV4_BAD_CHECKSUM.ordinal();
        }
        if (headerLength > 20 && !ipv4OptionsWellFormed(buffer, at + 20, at + headerLength)) {
            return DropReason.IPV4_BAD_OPTIONS.ordinal();
        }
        out.ipVersion = 4;
        out.l3Length = totalLength;
        out.ttl = buffer.getByte(at + 8) & 0xFF;
        out.protocol = buffer.getByte(at + 9) & 0xFF;
        out.srcIpv4 = buffer.getInt(at + 12, BE);
        out.dstIpv4 = buffer.getInt(at + 16, BE);
        final int fragment = buffer.getShort(at + 6, BE) & 0xFFFF;
        final boolean moreFragments = (fragment & 0x2000) != 0;
        final int fragmentOffset = fragment & 0x1FFF;
        out.isFragment = moreFragments || fragmentOffset != 0;
        out.isFirstFragment = out.isFragment && fragmentOffset == 0;
        if (fragmentOffset != 0) {
            return NONE; // no transport header in a later fragment
        }
        return parseTransport(buffer, at + headerLength, at + totalLength, out);
    }

    /** Walks the options: each is EOL, NOP, or type-length-value with 2 <= length <= what remains. */
    private static boolean ipv4OptionsWellFormed(final DirectBuffer buffer, final int from, final int to) {
        int at = from;
        while (at < to) {
            final int type = buffer.getByte(at) & 0xFF;
            if (type == 0) {
                return true; // end of option list: the rest is padding
            }
            if (type == 1) {
                at++;
                continue;
            }
            if (at + 1 >= to) {
                return false;
            }
            final int optionLength = buffer.getByte(at + 1) & 0xFF;
            if (optionLength < 2 || at + optionLength > to) {
                return false;
            }
            at += optionLength;
        }
        return true;
    }

    private static int parseIpv6(final DirectBuffer buffer, final int at, final int end, final ParsedPacket out) {
        if (at + IPV6_HEADER > end) {
            return DropReason.IPV6_TRUNCATED.ordinal();
        }
        if (((buffer.getByte(at) & 0xFF) >>> 4) != 6) {
            return DropReason.IPV6_BAD_VERSION.ordinal();
        }
        final int payloadLength = buffer.getShort(at + 4, BE) & 0xFFFF;
        final int packetEnd = at + IPV6_HEADER + payloadLength;
        if (packetEnd > end) {
            return DropReason.IPV6_TRUNCATED.ordinal();
        }
        out.ipVersion = 6;
        out.l3Length = IPV6_HEADER + payloadLength;
        out.ttl = buffer.getByte(at + 7) & 0xFF;
        out.srcIpv6Hi = buffer.getLong(at + 8, BE);
        out.srcIpv6Lo = buffer.getLong(at + 16, BE);
        out.dstIpv6Hi = buffer.getLong(at + 24, BE);
        out.dstIpv6Lo = buffer.getLong(at + 32, BE);
        int next = buffer.getByte(at + 6) & 0xFF;
        int header = at + IPV6_HEADER;
        for (int walked = 0; walked <= MAX_EXTENSION_HEADERS; walked++) {
            switch (next) {
                case 0, 43, 60 -> { // hop-by-hop, routing, destination options: (next, length in 8-octet units - 1)
                    if (header + 8 > packetEnd) {
                        return DropReason.IPV6_BAD_EXTENSION_HEADER.ordinal();
                    }
                    final int size = ((buffer.getByte(header + 1) & 0xFF) + 1) * 8;
                    if (header + size > packetEnd) {
                        return DropReason.IPV6_BAD_EXTENSION_HEADER.ordinal();
                    }
                    next = buffer.getByte(header) & 0xFF;
                    header += size;
                }
                case 51 -> { // authentication header: length in 4-octet units - 2
                    if (header + 8 > packetEnd) {
                        return DropReason.IPV6_BAD_EXTENSION_HEADER.ordinal();
                    }
                    final int size = ((buffer.getByte(header + 1) & 0xFF) + 2) * 4;
                    if (header + size > packetEnd) {
                        return DropReason.IPV6_BAD_EXTENSION_HEADER.ordinal();
                    }
                    next = buffer.getByte(header) & 0xFF;
                    header += size;
                }
                case 44 -> { // fragment header, 8 octets
                    if (header + 8 > packetEnd) {
                        return DropReason.IPV6_BAD_EXTENSION_HEADER.ordinal();
                    }
                    final int fragment = buffer.getShort(header + 2, BE) & 0xFFFF;
                    final int fragmentOffset = fragment >>> 3;
                    out.isFragment = true;
                    out.isFirstFragment = fragmentOffset == 0;
                    next = buffer.getByte(header) & 0xFF;
                    header += 8;
                    if (fragmentOffset != 0) {
                        out.protocol = next;
                        return NONE;
                    }
                }
                default -> {
                    out.protocol = next;
                    return parseTransport(buffer, header, packetEnd, out);
                }
            }
        }
        return DropReason.IPV6_BAD_EXTENSION_HEADER.ordinal(); // absurdly long chain
    }

    private static int parseTransport(final DirectBuffer buffer, final int at, final int end, final ParsedPacket out) {
        final int available = end - at;
        switch (out.protocol) {
            case PROTO_UDP -> {
                if (available < 8) {
                    return out.isFragment ? NONE : DropReason.UDP_TRUNCATED.ordinal();
                }
                out.l4Offset = at;
                out.srcPort = buffer.getShort(at, BE) & 0xFFFF;
                out.dstPort = buffer.getShort(at + 2, BE) & 0xFFFF;
                final int udpLength = buffer.getShort(at + 4, BE) & 0xFFFF;
                if (!out.isFragment && (udpLength < 8 || udpLength != available)) {
                    return DropReason.UDP_BAD_LENGTH.ordinal();
                }
            }
            case PROTO_TCP -> {
                if (available < 20) {
                    return out.isFragment ? NONE : DropReason.TCP_TRUNCATED.ordinal();
                }
                out.l4Offset = at;
                out.srcPort = buffer.getShort(at, BE) & 0xFFFF;
                out.dstPort = buffer.getShort(at + 2, BE) & 0xFFFF;
                final int dataOffset = ((buffer.getByte(at + 12) & 0xFF) >>> 4) * 4;
                if (dataOffset < 20 || (!out.isFragment && dataOffset > available)) {
                    return DropReason.TCP_BAD_DATA_OFFSET.ordinal();
                }
            }
            case PROTO_ICMP, PROTO_ICMPV6 -> {
                if (available < 4) {
                    if (out.isFragment) {
                        return NONE;
                    }
                    return out.protocol == PROTO_ICMP
                        ? DropReason.ICMP_TRUNCATED.ordinal() : DropReason.ICMPV6_TRUNCATED.ordinal();
                }
                out.l4Offset = at;
                out.srcPort = buffer.getByte(at) & 0xFF;
                out.dstPort = buffer.getByte(at + 1) & 0xFF;
            }
            default -> {
                out.l4Offset = at;
            }
        }
        return NONE;
    }
}

package dev.nsdp.dataplane.codec;

import dev.nsdp.dataplane.counter.DropReason;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;

/**
 * The one pass a worker makes over each received frame: Ethernet, up to two VLAN tags, then ARP,
 * IPv4 or IPv6 (walking extension headers), then the UDP, TCP, ICMP or ICMPv6 header. It checks
 * every length before reading, fills a {@link ParsedPacket}, and returns a {@link DropReason}
 * ordinal: {@code 0} ({@link DropReason#NONE}) for a frame the dataplane may switch or route.
 *
 * <p>It never throws for any frame bytes and never allocates. The only precondition is the
 * caller's: {@code [offset, offset + length)} lies inside {@code buffer}. Stateless: one instance
 * can be shared, but each worker keeps its own {@link ParsedPacket}.
 *
 * <p>What it accepts (and why):
 * <ul>
 *   <li>Unknown EtherTypes: returned as well formed with {@code etherType} set, so an L2 switch
 *       forwards them; only 802.3 length frames (below 0x0600) are refused.</li>
 *   <li>Ethernet padding after an IP packet's total or payload length: minimum-size frames carry
 *       it.</li>
 *   <li>A UDP length shorter than the IP payload (trailing bytes are ignored, as Linux does); a
 *       longer one, or one below 8, is {@link DropReason#UDP_BAD_LENGTH}. The check applies only to
 *       unfragmented datagrams: in a first fragment the UDP length covers later fragments too.</li>
 *   <li>L4 headers are checked only for unfragmented packets and first fragments: later fragments
 *       carry none. A first fragment too short for its L4 header is dropped (RFC 1858's tiny
 *       fragment attack).</li>
 *   <li>IPv6: hop-by-hop options only directly after the fixed header (RFC 8200 section 4.1), and
 *       at most {@link #MAX_IPV6_EXTENSION_HEADERS} extension headers, to bound the work a packet
 *       can cost; ESP and No Next Header end the walk as the upper layer.</li>
 * </ul>
 * Not checked here: IP options' semantics, TCP/UDP/ICMP checksums (a forwarder does not verify
 * them; local delivery does), TTL expiry (the router's decision).
 */
public final class PacketParser {
    /** More than any legitimate packet carries (RFC 8200's recommended order has at most 7). */
    public static final int MAX_IPV6_EXTENSION_HEADERS = 8;

    private static final int NONE = DropReason.NONE.ordinal();
    private static final int ETHERNET_TRUNCATED = DropReason.ETHERNET_TRUNCATED.ordinal();
    private static final int ETHERNET_SOURCE_MULTICAST = DropReason.ETHERNET_SOURCE_MULTICAST.ordinal();
    private static final int ETHERNET_LENGTH_FIELD = DropReason.ETHERNET_LENGTH_FIELD.ordinal();
    private static final int VLAN_TRUNCATED = DropReason.VLAN_TRUNCATED.ordinal();
    private static final int VLAN_TOO_MANY_TAGS = DropReason.VLAN_TOO_MANY_TAGS.ordinal();
    private static final int ARP_TRUNCATED = DropReason.ARP_TRUNCATED.ordinal();
    private static final int ARP_UNSUPPORTED = DropReason.ARP_UNSUPPORTED.ordinal();
    private static final int IPV4_TRUNCATED = DropReason.IPV4_TRUNCATED.ordinal();
    private static final int IPV4_BAD_VERSION = DropReason.IPV4_BAD_VERSION.ordinal();
    private static final int IPV4_BAD_HEADER_LENGTH = DropReason.IPV4_BAD_HEADER_LENGTH.ordinal();
    private static final int IPV4_BAD_TOTAL_LENGTH = DropReason.IPV4_BAD_TOTAL_LENGTH.ordinal();
    private static final int IPV4_BAD_CHECKSUM = DropReason.IPV4_BAD_CHECKSUM.ordinal();
    private static final int IPV4_BAD_OPTIONS = DropReason.IPV4_BAD_OPTIONS.ordinal();
    private static final int IPV6_TRUNCATED = DropReason.IPV6_TRUNCATED.ordinal();
    private static final int IPV6_BAD_VERSION = DropReason.IPV6_BAD_VERSION.ordinal();
    private static final int IPV6_BAD_EXTENSION_HEADER = DropReason.IPV6_BAD_EXTENSION_HEADER.ordinal();
    private static final int ICMP_TRUNCATED = DropReason.ICMP_TRUNCATED.ordinal();
    private static final int ICMPV6_TRUNCATED = DropReason.ICMPV6_TRUNCATED.ordinal();
    private static final int UDP_TRUNCATED = DropReason.UDP_TRUNCATED.ordinal();
    private static final int UDP_BAD_LENGTH = DropReason.UDP_BAD_LENGTH.ordinal();
    private static final int TCP_TRUNCATED = DropReason.TCP_TRUNCATED.ordinal();
    private static final int TCP_BAD_DATA_OFFSET = DropReason.TCP_BAD_DATA_OFFSET.ordinal();

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    /**
     * Parses the frame of {@code length} bytes at {@code offset} into {@code out} and returns a
     * {@link DropReason} ordinal, 0 if the frame is well formed.
     */
    public int parse(final DirectBuffer buffer, final int offset, final int length, final ParsedPacket out) {
        // Every path below writes each field of out exactly once (values, or zero for what the frame
        // does not have): no clear-then-write, which would double the stores on the hot path.
        out.frameOffset = offset;
        out.frameLength = length;
        if (length < EthernetHeader.HEADER_LENGTH) {
            out.dstMac = 0;
            out.srcMac = 0;
            return dropAtL2(out, ETHERNET_TRUNCATED);
        }
        final int end = offset + length;
        // Two overlapping 8-byte loads cover the 14-byte header: destination in the first 6 bytes of
        // the first, source and EtherType in the second.
        final long srcAndType = buffer.getLong(offset + 6, BE);
        out.dstMac = buffer.getLong(offset, BE) >>> 16;
        final long srcMac = srcAndType >>> 16;
        out.srcMac = srcMac;
        if (MacAddress.isMulticast(srcMac)) {
            return dropAtL2(out, ETHERNET_SOURCE_MULTICAST);
        }

        int etherType = (int) srcAndType & 0xFFFF;
        int position = offset + EthernetHeader.HEADER_LENGTH;
        int vlanCount = 0;
        int outerTci = 0;
        int outerTpid = 0;
        int innerTci = 0;
        int innerTpid = 0;
        if (EtherType.isVlanTpid(etherType)) {
            // position is at the TCI; the tag's TPID was the EtherType just read.
            if (position + 4 > end) {
                return dropAtL2(out, VLAN_TRUNCATED);
            }
            final int tciAndType = buffer.getInt(position, BE);
            vlanCount = 1;
            outerTpid = etherType;
            outerTci = tciAndType >>> 16;
            etherType = tciAndType & 0xFFFF;
            position += VlanTag.TAG_LENGTH;
            if (EtherType.isVlanTpid(etherType)) {
                if (position + 4 > end) {
                    writeTags(out, 1, outerTpid, outerTci, 0, 0);
                    out.etherType = 0;
                    out.clearFromL3();
                    return VLAN_TRUNCATED;
                }
                final int innerTciAndType = buffer.getInt(position, BE);
                vlanCount = 2;
                innerTpid = etherType;
                innerTci = innerTciAndType >>> 16;
                etherType = innerTciAndType & 0xFFFF;
                position += VlanTag.TAG_LENGTH;
                if (EtherType.isVlanTpid(etherType)) {
                    writeTags(out, 2, outerTpid, outerTci, innerTpid, innerTci);
                    out.etherType = 0;
                    out.clearFromL3();
                    return VLAN_TOO_MANY_TAGS;
                }
            }
        }
        writeTags(out, vlanCount, outerTpid, outerTci, innerTpid, innerTci);
        out.etherType = etherType;
        if (etherType < EtherType.MIN_ETHER_TYPE) {
            out.clearFromL3();
            return ETHERNET_LENGTH_FIELD;
        }
        out.l3Offset = position;
        out.l3Length = end - position;
        if (etherType == EtherType.IPV4) {
            return parseIpv4(buffer, position, end, out);
        }
        if (etherType == EtherType.IPV6) {
            return parseIpv6(buffer, position, end, out);
        }
        if (etherType == EtherType.ARP) {
            return parseArp(buffer, position, end, out);
        }
        out.clearIp();
        out.clearL4();
        out.clearArp();
        return NONE;
    }

    private static int dropAtL2(final ParsedPacket out, final int reason) {
        out.clearVlans();
        out.etherType = 0;
        out.clearFromL3();
        return reason;
    }

    private static void writeTags(
        final ParsedPacket out, final int count, final int outerTpid, final int outerTci, final int innerTpid, final int innerTci) {
        out.vlanCount = count;
        out.outerTpid = outerTpid;
        out.outerTci = outerTci;
        out.outerVlanId = outerTci & VlanTag.VLAN_ID_MASK;
        out.innerTpid = innerTpid;
        out.innerTci = innerTci;
        out.innerVlanId = innerTci & VlanTag.VLAN_ID_MASK;
    }

    /** For IP packets dropped before any IP field was recorded. */
    private static int dropAtIp(final ParsedPacket out, final int reason) {
        out.clearIp();
        out.clearL4();
        out.clearArp();
        return reason;
    }

    private static int parseIpv4(final DirectBuffer buffer, final int position, final int end, final ParsedPacket out) {
        final int available = end - position;
        if (available < Ipv4Header.MIN_HEADER_LENGTH) {
            return dropAtIp(out, IPV4_TRUNCATED);
        }
        // The fixed header in three loads that serve both the checks and the fields: bytes 0..7
        // (version/IHL, TOS, total length, id, flags/fragment), 8..15 (TTL, protocol, checksum,
        // source), 16..19 (destination).
        final long word0 = buffer.getLong(position, BE);
        final long word1 = buffer.getLong(position + Ipv4Header.TTL_OFFSET, BE);
        final int destination = buffer.getInt(position + Ipv4Header.DESTINATION_OFFSET, BE);
        if ((word0 >>> 60) != 4) {
            return dropAtIp(out, IPV4_BAD_VERSION);
        }
        final int headerLength = (int) (word0 >>> 54) & 0x3C;
        if (headerLength < Ipv4Header.MIN_HEADER_LENGTH) {
            return dropAtIp(out, IPV4_BAD_HEADER_LENGTH);
        }
        final int totalLength = (int) (word0 >>> 32) & 0xFFFF;
        if (totalLength < Ipv4Header.MIN_HEADER_LENGTH) {
            return dropAtIp(out, IPV4_BAD_TOTAL_LENGTH);
        }
        if (headerLength > totalLength) {
            return dropAtIp(out, IPV4_BAD_HEADER_LENGTH);
        }
        if (totalLength > available) {
            return dropAtIp(out, IPV4_TRUNCATED);
        }
        // One's-complement sum of the header as big-endian 32-bit halves (congruent to the 16-bit
        // word sum modulo 0xFFFF), plus the options if any.
        long sum = (word0 >>> 32) + (word0 & 0xFFFF_FFFFL) + (word1 >>> 32) + (word1 & 0xFFFF_FFFFL)
            + (destination & 0xFFFF_FFFFL);
        if (headerLength > Ipv4Header.MIN_HEADER_LENGTH) {
            sum += Checksum.sum(buffer, position + Ipv4Header.MIN_HEADER_LENGTH, headerLength - Ipv4Header.MIN_HEADER_LENGTH);
        }
        if (Checksum.fold(sum) != 0xFFFF) {
            return dropAtIp(out, IPV4_BAD_CHECKSUM);
        }
        if (headerLength > Ipv4Header.MIN_HEADER_LENGTH
            && !Ipv4Header.optionsValid(buffer, position + Ipv4Header.MIN_HEADER_LENGTH, position + headerLength)) {
            return dropAtIp(out, IPV4_BAD_OPTIONS);
        }
        final int idFlagsFragment = (int) word0;
        final int ttlProtocol = (int) (word1 >>> 48);
        final int protocol = ttlProtocol & 0xFF;
        final int fragmentUnits = idFlagsFragment & Ipv4Header.FRAGMENT_OFFSET_MASK;
        final boolean more = (idFlagsFragment & Ipv4Header.FLAG_MORE_FRAGMENTS) != 0;
        final int l4Offset = position + headerLength;
        final int l4Length = totalLength - headerLength;
        out.l3Length = totalLength;
        out.ipVersion = 4;
        out.ipHeaderLength = headerLength;
        out.protocol = protocol;
        out.ttl = (ttlProtocol >>> 8) & 0xFF;
        out.isFragment = more | fragmentUnits != 0;
        out.isFirstFragment = more & fragmentUnits == 0;
        out.fragmentOffset = fragmentUnits << 3;
        out.ipv4Src = (int) word1;
        out.ipv4Dst = destination;
        out.clearIpv6Addresses();
        out.clearArp();
        out.l4Offset = l4Offset;
        out.l4Length = l4Length;
        if (fragmentUnits != 0) {
            out.clearL4();
            return NONE;
        }
        if (protocol == IpProtocol.UDP) {
            return parseUdp(buffer, l4Offset, l4Length, !more, out);
        }
        if (protocol == IpProtocol.TCP) {
            return parseTcp(buffer, l4Offset, l4Length, out);
        }
        if (protocol == IpProtocol.ICMP) {
            return parseIcmp(buffer, l4Offset, l4Length, IcmpHeader.HEADER_LENGTH, ICMP_TRUNCATED, out);
        }
        out.clearL4();
        return NONE;
    }

    private static int parseIpv6(final DirectBuffer buffer, final int position, final int end, final ParsedPacket out) {
        final int available = end - position;
        if (available < Ipv6Header.HEADER_LENGTH) {
            return dropAtIp(out, IPV6_TRUNCATED);
        }
        // Version, class, flow label, payload length, next header and hop limit in one load.
        final long fixed = buffer.getLong(position, BE);
        if ((fixed >>> 60) != 6) {
            return dropAtIp(out, IPV6_BAD_VERSION);
        }
        final int lengthNextHop = (int) fixed;
        final int totalLength = Ipv6Header.HEADER_LENGTH + (lengthNextHop >>> 16);
        if (totalLength > available) {
            return dropAtIp(out, IPV6_TRUNCATED);
        }
        out.l3Length = totalLength;
        out.ipVersion = 6;
        out.ttl = lengthNextHop & 0xFF;
        out.ipv6SrcHigh = buffer.getLong(position + Ipv6Header.SOURCE_OFFSET, BE);
        out.ipv6SrcLow = buffer.getLong(position + Ipv6Header.SOURCE_OFFSET + 8, BE);
        out.ipv6DstHigh = buffer.getLong(position + Ipv6Header.DESTINATION_OFFSET, BE);
        out.ipv6DstLow = buffer.getLong(position + Ipv6Header.DESTINATION_OFFSET + 8, BE);
        out.clearIpv4Addresses();
        out.clearArp();

        final int ipEnd = position + totalLength;
        int nextHeader = (lengthNextHop >>> 8) & 0xFF;
        int cursor = position + Ipv6Header.HEADER_LENGTH;
        int fragmentOffset = 0;
        boolean more = false;
        int walked = 0;
        while (IpProtocol.isIpv6ExtensionHeader(nextHeader)) {
            if (walked == MAX_IPV6_EXTENSION_HEADERS
                || (nextHeader == IpProtocol.HOP_BY_HOP && walked != 0)
                || cursor + Ipv6ExtensionHeader.MIN_LENGTH > ipEnd) {
                return dropAtIpv6Extension(out, cursor - position, nextHeader);
            }
            final int typeAndLength = buffer.getShort(cursor, BE);
            final int headerLength;
            if (nextHeader == IpProtocol.IPV6_FRAGMENT) {
                final int offsetAndFlags = buffer.getShort(cursor + Ipv6ExtensionHeader.FRAGMENT_OFFSET_FIELD_OFFSET, BE);
                fragmentOffset = offsetAndFlags & Ipv6ExtensionHeader.FRAGMENT_OFFSET_MASK;
                more = (offsetAndFlags & Ipv6ExtensionHeader.FRAGMENT_MORE) != 0;
                headerLength = Ipv6ExtensionHeader.FRAGMENT_HEADER_LENGTH;
            } else {
                headerLength = Ipv6ExtensionHeader.length(nextHeader, typeAndLength & 0xFF);
                if (cursor + headerLength > ipEnd) {
                    return dropAtIpv6Extension(out, cursor - position, nextHeader);
                }
            }
            cursor += headerLength;
            nextHeader = (typeAndLength >>> 8) & 0xFF;
            walked++;
            if (fragmentOffset != 0) {
                // A later fragment: what follows is the middle of the fragmentable part, not headers.
                break;
            }
        }
        final int l4Length = ipEnd - cursor;
        out.ipHeaderLength = cursor - position;
        out.protocol = nextHeader;
        out.isFragment = more | fragmentOffset != 0;
        out.isFirstFragment = more & fragmentOffset == 0;
        out.fragmentOffset = fragmentOffset;
        out.l4Offset = cursor;
        out.l4Length = l4Length;
        if (fragmentOffset != 0) {
            out.clearL4();
            return NONE;
        }
        if (nextHeader == IpProtocol.UDP) {
            return parseUdp(buffer, cursor, l4Length, !more, out);
        }
        if (nextHeader == IpProtocol.TCP) {
            return parseTcp(buffer, cursor, l4Length, out);
        }
        if (nextHeader == IpProtocol.ICMPV6) {
            return parseIcmp(buffer, cursor, l4Length, Icmpv6Header.HEADER_LENGTH, ICMPV6_TRUNCATED, out);
        }
        out.clearL4();
        return NONE;
    }

    /** Records how far the walk got (header length so far, the offending header's type) and drops. */
    private static int dropAtIpv6Extension(final ParsedPacket out, final int headerLength, final int type) {
        out.ipHeaderLength = headerLength;
        out.protocol = type;
        out.isFragment = false;
        out.isFirstFragment = false;
        out.fragmentOffset = 0;
        out.l4Offset = 0;
        out.l4Length = 0;
        out.clearL4();
        return IPV6_BAD_EXTENSION_HEADER;
    }

    private static int parseUdp(
        final DirectBuffer buffer, final int l4Offset, final int l4Length, final boolean wholeDatagram, final ParsedPacket out) {
        if (l4Length < UdpHeader.HEADER_LENGTH) {
            out.clearL4();
            return UDP_TRUNCATED;
        }
        // Ports, length and checksum in one load.
        final long header = buffer.getLong(l4Offset, BE);
        out.srcPort = (int) (header >>> 48);
        out.dstPort = (int) (header >>> 32) & 0xFFFF;
        out.tcpFlags = 0;
        out.icmpType = 0;
        out.icmpCode = 0;
        final int udpLength = (int) (header >>> 16) & 0xFFFF;
        if (udpLength < UdpHeader.HEADER_LENGTH || (wholeDatagram && udpLength > l4Length)) {
            out.hasL4Header = false;
            return UDP_BAD_LENGTH;
        }
        out.hasL4Header = true;
        return NONE;
    }

    private static int parseTcp(final DirectBuffer buffer, final int l4Offset, final int l4Length, final ParsedPacket out) {
        if (l4Length < TcpHeader.MIN_HEADER_LENGTH) {
            out.clearL4();
            return TCP_TRUNCATED;
        }
        final int ports = buffer.getInt(l4Offset, BE);
        out.srcPort = ports >>> 16;
        out.dstPort = ports & 0xFFFF;
        final int offsetAndFlags = buffer.getShort(l4Offset + TcpHeader.DATA_OFFSET_OFFSET, BE);
        out.tcpFlags = offsetAndFlags & 0xFF;
        out.icmpType = 0;
        out.icmpCode = 0;
        final int headerLength = (offsetAndFlags >>> 10) & 0x3C;
        if (headerLength < TcpHeader.MIN_HEADER_LENGTH || headerLength > l4Length) {
            out.hasL4Header = false;
            return TCP_BAD_DATA_OFFSET;
        }
        out.hasL4Header = true;
        return NONE;
    }

    private static int parseIcmp(
        final DirectBuffer buffer, final int l4Offset, final int l4Length, final int minLength, final int truncated,
        final ParsedPacket out) {
        if (l4Length < minLength) {
            out.clearL4();
            return truncated;
        }
        final int typeCode = buffer.getShort(l4Offset, BE);
        out.icmpType = (typeCode >>> 8) & 0xFF;
        out.icmpCode = typeCode & 0xFF;
        out.srcPort = 0;
        out.dstPort = 0;
        out.tcpFlags = 0;
        out.hasL4Header = true;
        return NONE;
    }

    private static int parseArp(final DirectBuffer buffer, final int position, final int end, final ParsedPacket out) {
        out.clearIp();
        out.clearL4();
        final int available = end - position;
        if (available < ArpPacket.FIXED_LENGTH) {
            out.clearArp();
            return ARP_TRUNCATED;
        }
        final long fixed = buffer.getLong(position, BE);
        // hardware type 1, protocol type 0x0800, lengths 6 and 4: the top six bytes of the fixed part.
        if ((fixed >>> 16) != 0x0001_0800_0604L) {
            out.clearArp();
            return ARP_UNSUPPORTED;
        }
        if (available < ArpPacket.LENGTH) {
            out.clearArp();
            return ARP_TRUNCATED;
        }
        out.l3Length = ArpPacket.LENGTH;
        out.arpOperation = (int) fixed & 0xFFFF;
        out.arpSenderMac = MacAddress.read(buffer, position + ArpPacket.SENDER_MAC_OFFSET);
        out.arpSenderIp = buffer.getInt(position + ArpPacket.SENDER_IP_OFFSET, BE);
        out.arpTargetMac = MacAddress.read(buffer, position + ArpPacket.TARGET_MAC_OFFSET);
        out.arpTargetIp = buffer.getInt(position + ArpPacket.TARGET_IP_OFFSET, BE);
        return NONE;
    }
}

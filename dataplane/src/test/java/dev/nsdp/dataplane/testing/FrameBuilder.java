package dev.nsdp.dataplane.testing;

import dev.nsdp.dataplane.codec.ArpPacket;
import dev.nsdp.dataplane.codec.EtherType;
import dev.nsdp.dataplane.codec.EthernetHeader;
import dev.nsdp.dataplane.codec.IcmpHeader;
import dev.nsdp.dataplane.codec.Icmpv6Header;
import dev.nsdp.dataplane.codec.IpProtocol;
import dev.nsdp.dataplane.codec.Ipv4Header;
import dev.nsdp.dataplane.codec.Ipv6ExtensionHeader;
import dev.nsdp.dataplane.codec.Ipv6Header;
import dev.nsdp.dataplane.codec.TcpHeader;
import dev.nsdp.dataplane.codec.UdpHeader;
import dev.nsdp.dataplane.codec.VlanTag;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Builds arbitrary frames with the codec's own flyweight writers: any number of VLAN tags, IPv4
 * options, IPv6 extension headers, TCP options, explicit field values. Lengths and checksums are
 * computed at {@link #build()} unless overridden. {@link Frames} covers the common shapes; this is
 * for the rest (and for proving the writers against scapy).
 *
 * <p>Defaults are scapy's, as in {@link Frames}: IPv4 id 1, TTL 64; IPv6 hop limit 64; TCP window 8192.
 */
public final class FrameBuilder {
    private enum L3 { NONE, ARP, IPV4, IPV6 }

    private enum L4 { RAW, UDP, TCP, ICMP, ICMPV6 }

    private final long dstMac;
    private final long srcMac;
    private final List<int[]> tags = new ArrayList<>();
    private int etherType = -1;
    private L3 l3 = L3.NONE;
    private L4 l4 = L4.RAW;
    private int rawProtocol = IpProtocol.IPV6_NO_NEXT_HEADER;

    private int ipv4Src;
    private int ipv4Dst;
    private int tos;
    private int identification = Frames.DEFAULT_IPV4_ID;
    private int flagsAndFragment;
    private int ttl = Frames.DEFAULT_TTL;
    private byte[] ipv4Options = new byte[0];

    private byte[] ipv6Src;
    private byte[] ipv6Dst;
    private int trafficClass;
    private int flowLabel;
    private final List<Object[]> extensions = new ArrayList<>();

    private int[] arp;
    private long arpSenderMac;
    private long arpTargetMac;

    private int srcPort;
    private int dstPort;
    private long seq;
    private long ack;
    private int tcpFlags;
    private int window = Frames.DEFAULT_TCP_WINDOW;
    private int urgentPointer;
    private byte[] tcpOptions = new byte[0];
    private int icmpType;
    private int icmpCode;
    private int icmpRest;
    private int udpChecksumOverride = -1;

    private byte[] payload = new byte[0];
    private byte[] padding = new byte[0];

    private FrameBuilder(final long dstMac, final long srcMac) {
        this.dstMac = dstMac;
        this.srcMac = srcMac;
    }

    public static FrameBuilder ethernet(final long dstMac, final long srcMac) {
        return new FrameBuilder(dstMac, srcMac);
    }

    /** Adds a tag inside those already added (the first call makes the outermost tag). */
    public FrameBuilder vlan(final int tpid, final int tci) {
        tags.add(new int[] {tpid, tci});
        return this;
    }

    /** The EtherType after the tags, for payloads other than ARP and IP. */
    public FrameBuilder etherType(final int type) {
        this.etherType = type;
        return this;
    }

    // ---------------------------------------------------------------- L3

    public FrameBuilder ipv4(final String src, final String dst) {
        l3 = L3.IPV4;
        ipv4Src = Frames.ipv4(src);
        ipv4Dst = Frames.ipv4(dst);
        return this;
    }

    public FrameBuilder tos(final int value) {
        tos = value;
        return this;
    }

    public FrameBuilder identification(final int value) {
        identification = value;
        return this;
    }

    /** Flags (DF 0x4000, MF 0x2000) and fragment offset in 8-byte units, as one word. */
    public FrameBuilder flagsAndFragmentOffset(final int value) {
        flagsAndFragment = value;
        return this;
    }

    /** IPv4 TTL or IPv6 hop limit. */
    public FrameBuilder ttl(final int value) {
        ttl = value;
        return this;
    }

    /** Option bytes, already padded to a multiple of 4. */
    public FrameBuilder ipv4Options(final byte[] options) {
        ipv4Options = options;
        return this;
    }

    public FrameBuilder ipv6(final String src, final String dst) {
        l3 = L3.IPV6;
        ipv6Src = Frames.ipv6(src);
        ipv6Dst = Frames.ipv6(dst);
        return this;
    }

    public FrameBuilder trafficClass(final int value) {
        trafficClass = value;
        return this;
    }

    public FrameBuilder flowLabel(final int value) {
        flowLabel = value;
        return this;
    }

    /**
     * Appends an IPv6 extension header of {@code type}; {@code body} is everything after its Next
     * Header and length bytes (so 6 + 8n bytes, or 2 + 4n for AH). The length byte is derived.
     */
    public FrameBuilder extension(final int type, final byte[] body) {
        extensions.add(new Object[] {type, body});
        return this;
    }

    public FrameBuilder arp(final int operation, final long senderMac, final String senderIp, final long targetMac,
        final String targetIp) {
        l3 = L3.ARP;
        arp = new int[] {operation, Frames.ipv4(senderIp), Frames.ipv4(targetIp)};
        arpSenderMac = senderMac;
        arpTargetMac = targetMac;
        return this;
    }

    // ---------------------------------------------------------------- L4

    public FrameBuilder udp(final int sourcePort, final int destinationPort) {
        l4 = L4.UDP;
        srcPort = sourcePort;
        dstPort = destinationPort;
        return this;
    }

    /** Stores this UDP checksum instead of computing one (0 for "no checksum" over IPv4). */
    public FrameBuilder udpChecksum(final int checksum) {
        udpChecksumOverride = checksum;
        return this;
    }

    public FrameBuilder tcp(final int sourcePort, final int destinationPort, final long sequence, final long acknowledgment,
        final int flags) {
        l4 = L4.TCP;
        srcPort = sourcePort;
        dstPort = destinationPort;
        seq = sequence;
        ack = acknowledgment;
        tcpFlags = flags;
        return this;
    }

    public FrameBuilder window(final int value) {
        window = value;
        return this;
    }

    public FrameBuilder urgentPointer(final int value) {
        urgentPointer = value;
        return this;
    }

    /** TCP option bytes, already padded to a multiple of 4. */
    public FrameBuilder tcpOptions(final byte[] options) {
        tcpOptions = options;
        return this;
    }

    /** ICMP (v4) with the 32-bit rest of header (identifier << 16 | sequence for echo). */
    public FrameBuilder icmp(final int type, final int code, final int restOfHeader) {
        l4 = L4.ICMP;
        icmpType = type;
        icmpCode = code;
        icmpRest = restOfHeader;
        return this;
    }

    public FrameBuilder icmpv6(final int type, final int code, final int restOfHeader) {
        l4 = L4.ICMPV6;
        icmpType = type;
        icmpCode = code;
        icmpRest = restOfHeader;
        return this;
    }

    /** An upper layer the builder does not know: the payload follows the IP header as is. */
    public FrameBuilder rawProtocol(final int protocol) {
        l4 = L4.RAW;
        rawProtocol = protocol;
        return this;
    }

    public FrameBuilder payload(final byte[] bytes) {
        payload = bytes;
        return this;
    }

    /** Bytes after the L3 packet (Ethernet padding), not counted in any length. */
    public FrameBuilder padding(final byte[] bytes) {
        padding = bytes;
        return this;
    }

    // ---------------------------------------------------------------- build

    public byte[] build() {
        final int l2Length = EthernetHeader.HEADER_LENGTH + VlanTag.TAG_LENGTH * tags.size();
        int extensionsLength = 0;
        for (final Object[] extension : extensions) {
            extensionsLength += 2 + ((byte[]) extension[1]).length;
        }
        final int l3HeaderLength = switch (l3) {
            case NONE -> 0;
            case ARP -> ArpPacket.LENGTH;
            case IPV4 -> Ipv4Header.MIN_HEADER_LENGTH + ipv4Options.length;
            case IPV6 -> Ipv6Header.HEADER_LENGTH + extensionsLength;
        };
        final int l4HeaderLength = l3 == L3.IPV4 || l3 == L3.IPV6 ? switch (l4) {
            case RAW -> 0;
            case UDP -> UdpHeader.HEADER_LENGTH;
            case TCP -> TcpHeader.MIN_HEADER_LENGTH + tcpOptions.length;
            case ICMP, ICMPV6 -> IcmpHeader.HEADER_LENGTH;
        } : 0;
        final int l4Length = l4HeaderLength + payload.length;
        final byte[] frame = new byte[l2Length + l3HeaderLength + l4Length + padding.length];
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);

        new EthernetHeader().wrap(buffer, 0, frame.length).destination(dstMac).source(srcMac);
        final int innerType = switch (l3) {
            case NONE -> etherType;
            case ARP -> EtherType.ARP;
            case IPV4 -> EtherType.IPV4;
            case IPV6 -> EtherType.IPV6;
        };
        final VlanTag tag = new VlanTag();
        int typeOffset = EthernetHeader.ETHER_TYPE_OFFSET;
        for (final int[] t : tags) {
            tag.wrap(buffer, typeOffset).tpid(t[0]).tci(t[1]);
            typeOffset += VlanTag.TAG_LENGTH;
        }
        buffer.putShort(typeOffset, (short) innerType, java.nio.ByteOrder.BIG_ENDIAN);

        final int l3Offset = l2Length;
        final int l4Offset = l3Offset + l3HeaderLength;
        buffer.putBytes(l4Offset + l4HeaderLength, payload);
        buffer.putBytes(l4Offset + l4Length, padding);
        final int protocol = switch (l4) {
            case RAW -> rawProtocol;
            case UDP -> IpProtocol.UDP;
            case TCP -> IpProtocol.TCP;
            case ICMP -> IpProtocol.ICMP;
            case ICMPV6 -> IpProtocol.ICMPV6;
        };

        switch (l3) {
            case NONE -> buffer.putBytes(l3Offset, payload);
            case ARP -> new ArpPacket().wrap(buffer, l3Offset).ethernetIpv4(arp[0])
                .senderMac(arpSenderMac).senderIp(arp[1]).targetMac(arpTargetMac).targetIp(arp[2]);
            case IPV4 -> {
                final Ipv4Header ip = new Ipv4Header().wrap(buffer, l3Offset)
                    .versionAndHeaderLength(l3HeaderLength).tos(tos).totalLength(l3HeaderLength + l4Length)
                    .identification(identification).flagsAndFragmentOffset(flagsAndFragment).ttl(ttl).protocol(protocol)
                    .source(ipv4Src).destination(ipv4Dst);
                buffer.putBytes(l3Offset + Ipv4Header.MIN_HEADER_LENGTH, ipv4Options);
                ip.updateChecksum();
                writeL4(buffer, l4Offset, l4Length, ip, null);
            }
            case IPV6 -> {
                final Ipv6Header ip = new Ipv6Header().wrap(buffer, l3Offset).initialise().trafficClass(trafficClass)
                    .flowLabel(flowLabel).payloadLength(extensionsLength + l4Length).hopLimit(ttl)
                    .nextHeader(extensions.isEmpty() ? protocol : (int) extensions.get(0)[0]);
                buffer.putBytes(ip.sourceOffset(), ipv6Src);
                buffer.putBytes(ip.destinationOffset(), ipv6Dst);
                int at = ip.payloadOffset();
                final Ipv6ExtensionHeader extension = new Ipv6ExtensionHeader();
                for (int i = 0; i < extensions.size(); i++) {
                    final int type = (int) extensions.get(i)[0];
                    final byte[] body = (byte[]) extensions.get(i)[1];
                    final int next = i + 1 < extensions.size() ? (int) extensions.get(i + 1)[0] : protocol;
                    final int length = 2 + body.length;
                    final int lengthField = type == IpProtocol.IPV6_FRAGMENT ? 0
                        : type == IpProtocol.AH ? length / 4 - 2 : length / 8 - 1;
                    extension.wrap(buffer, at, type).nextHeader(next).lengthField(lengthField);
                    buffer.putBytes(at + 2, body);
                    at += length;
                }
                writeL4(buffer, l4Offset, l4Length, null, ip);
            }
        }
        return frame;
    }

    private void writeL4(final UnsafeBuffer buffer, final int l4Offset, final int l4Length, final Ipv4Header ip4,
        final Ipv6Header ip6) {
        switch (l4) {
            case RAW -> { }
            case UDP -> {
                final UdpHeader udp = new UdpHeader().wrap(buffer, l4Offset).sourcePort(srcPort).destinationPort(dstPort)
                    .length(l4Length);
                if (udpChecksumOverride >= 0) {
                    udp.checksum(udpChecksumOverride);
                } else if (ip4 != null) {
                    udp.updateChecksum(ip4);
                } else {
                    udp.updateChecksum(ip6);
                }
            }
            case TCP -> {
                final TcpHeader tcp = new TcpHeader().wrap(buffer, l4Offset).sourcePort(srcPort).destinationPort(dstPort)
                    .sequence(seq).acknowledgment(ack).dataOffset((TcpHeader.MIN_HEADER_LENGTH + tcpOptions.length) / 4)
                    .flags(tcpFlags).window(window).urgentPointer(urgentPointer);
                buffer.putBytes(l4Offset + TcpHeader.MIN_HEADER_LENGTH, tcpOptions);
                if (ip4 != null) {
                    tcp.updateChecksum(ip4, l4Length);
                } else {
                    tcp.updateChecksum(ip6, l4Length);
                }
            }
            case ICMP -> new IcmpHeader().wrap(buffer, l4Offset).type(icmpType).code(icmpCode).restOfHeader(icmpRest)
                .updateChecksum(l4Length);
            case ICMPV6 -> new Icmpv6Header().wrap(buffer, l4Offset).type(icmpType).code(icmpCode).restOfHeader(icmpRest)
                .updateChecksum(ip6, l4Length);
        }
    }

    /** Concatenates byte arrays (option and extension bodies read better built from parts). */
    public static byte[] bytes(final Object... parts) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final Object part : parts) {
            if (part instanceof byte[] b) {
                out.writeBytes(b);
            } else if (part instanceof String hex) {
                out.writeBytes(Frames.fromHex(hex));
            } else {
                throw new IllegalArgumentException("byte[] or hex String expected, got " + part);
            }
        }
        return out.toByteArray();
    }
}

package dev.nsdp.dataplane.codec;

/**
 * What {@link PacketParser} learned about one frame: primitives only, one reusable instance per
 * worker, overwritten by every parse. Offsets are absolute indices into the buffer that was
 * parsed. Fields beyond the layer a frame has are left at zero.
 */
public final class ParsedPacket {
    public long dstMac;
    public long srcMac;
    /** 0, 1 or 2 VLAN tags. */
    public int vlanCount;
    public int outerTpid;
    public int outerVlanId;
    public int innerVlanId;
    /** EtherType after the tags. */
    public int etherType;
    public int l3Offset;
    /** Bytes of the L3 packet (IP total length; frame padding excluded). */
    public int l3Length;

    /** 4 or 6 for IP, else 0. */
    public int ipVersion;
    /** Upper-layer protocol (after walking IPv6 extension headers). */
    public int protocol;
    /** Offset of the upper-layer header; 0 for non-first fragments. */
    public int l4Offset;
    public boolean isFragment;
    public boolean isFirstFragment;
    public int ttl;
    public int srcIpv4;
    public int dstIpv4;
    public long srcIpv6Hi;
    public long srcIpv6Lo;
    public long dstIpv6Hi;
    public long dstIpv6Lo;
    /** UDP/TCP ports, ICMP type/code (as srcPort = type, dstPort = code), when the header is present. */
    public int srcPort;
    public int dstPort;

    void clearL3() {
        l3Offset = 0;
        l3Length = 0;
        ipVersion = 0;
        protocol = 0;
        l4Offset = 0;
        isFragment = false;
        isFirstFragment = false;
        ttl = 0;
        srcIpv4 = 0;
        dstIpv4 = 0;
        srcIpv6Hi = 0;
        srcIpv6Lo = 0;
        dstIpv6Hi = 0;
        dstIpv6Lo = 0;
        srcPort = 0;
        dstPort = 0;
    }
}

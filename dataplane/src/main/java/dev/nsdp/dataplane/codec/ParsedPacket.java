package dev.nsdp.dataplane.codec;

/**
 * What {@link PacketParser#parse} learned about one frame: a reusable holder of primitives, one per
 * worker, overwritten by every parse (a C struct in spirit: VPP's buffer metadata). Fields are
 * public so the hot path reads them without ceremony; only the parser writes them.
 *
 * <p>All offsets are absolute offsets in the buffer that was parsed (add nothing, read
 * {@code buffer.getX(l4Offset)} directly). After a parse that returned a drop reason, the fields
 * up to the failing layer are filled and the rest are zero. A field that does not apply to the
 * frame (ports of an ICMP message, IPv4 addresses of an IPv6 packet, L3 fields of an unknown
 * EtherType) is zero.
 */
public final class ParsedPacket {
    // ---------------------------------------------------------------- layer 2

    /** The frame as parsed: its offset in the buffer and its length. */
    public int frameOffset;
    public int frameLength;
    public long dstMac;
    public long srcMac;
    /** VLAN tags in front of the EtherType: 0, 1 or 2 (802.1ad outer, 802.1Q inner). */
    public int vlanCount;
    /** First tag's TPID (0x8100 or 0x88A8), TCI and VLAN id; zero if untagged. */
    public int outerTpid;
    public int outerTci;
    public int outerVlanId;
    /** Second tag's TPID, TCI and VLAN id; zero unless {@code vlanCount == 2}. */
    public int innerTpid;
    public int innerTci;
    public int innerVlanId;
    /** The EtherType after all tags. */
    public int etherType;

    // ---------------------------------------------------------------- layer 3

    /**
     * Offset of the first byte after the tags (the L3 header), for every EtherType; with
     * {@link #l3Length}: the IP total length (IPv4) or 40 + payload length (IPv6), 28 for ARP, and
     * for other EtherTypes every remaining byte of the frame. Ethernet padding is excluded for IP.
     */
    public int l3Offset;
    public int l3Length;
    /** 4, 6, or 0 when the frame is not IP. */
    public int ipVersion;
    /** IPv4 header length with options, or 40 plus the extension headers walked for IPv6. */
    public int ipHeaderLength;
    /**
     * The upper-layer protocol: IPv4's protocol field, or IPv6's last next header after the extension
     * headers. In a later IPv6 fragment (offset not 0) the walk stops at the fragment header, so this
     * is that header's next header: the first header of the fragmentable part.
     */
    public int protocol;
    /** IPv4 TTL or IPv6 hop limit. */
    public int ttl;
    /** Any fragment: more fragments follow or the offset is not zero (an IPv6 atomic fragment is not one). */
    public boolean isFragment;
    /** The fragment at offset 0 with more to follow: it carries the L4 header, not the whole datagram. */
    public boolean isFirstFragment;
    /** Fragment offset in bytes. */
    public int fragmentOffset;
    public int ipv4Src;
    public int ipv4Dst;
    /** IPv6 source: bytes 0..7 and 8..15 as big-endian longs. */
    public long ipv6SrcHigh;
    public long ipv6SrcLow;
    public long ipv6DstHigh;
    public long ipv6DstLow;

    // ---------------------------------------------------------------- layer 4

    /** Offset and length of the upper-layer bytes; set for every IP packet, even a non-first fragment. */
    public int l4Offset;
    public int l4Length;
    /**
     * True if the L4 header (UDP, TCP, ICMP, ICMPv6) was found whole and checked; false for other
     * protocols and non-first fragments.
     */
    public boolean hasL4Header;
    public int srcPort;
    public int dstPort;
    public int tcpFlags;
    /** Type and code of ICMP (over IPv4) or ICMPv6 (over IPv6). */
    public int icmpType;
    public int icmpCode;

    // ---------------------------------------------------------------- ARP (Ethernet/IPv4 only)

    public int arpOperation;
    public long arpSenderMac;
    public int arpSenderIp;
    public long arpTargetMac;
    public int arpTargetIp;

    /** Zeroes every field. */
    public void clear() {
        frameOffset = 0;
        frameLength = 0;
        dstMac = 0;
        srcMac = 0;
        clearVlans();
        etherType = 0;
        l3Offset = 0;
        l3Length = 0;
        clearIp();
        clearL4();
        clearArp();
    }

    // The parser writes every field exactly once per frame: the fields a layer fills are written
    // there, and the groups a frame does not reach or does not have are zeroed with these.

    void clearVlans() {
        vlanCount = 0;
        outerTpid = 0;
        outerTci = 0;
        outerVlanId = 0;
        innerTpid = 0;
        innerTci = 0;
        innerVlanId = 0;
    }

    /** Everything after the EtherType: for frames dropped at layer 2. */
    void clearFromL3() {
        l3Offset = 0;
        l3Length = 0;
        clearIp();
        clearL4();
        clearArp();
    }

    void clearIp() {
        ipVersion = 0;
        ipHeaderLength = 0;
        protocol = 0;
        ttl = 0;
        isFragment = false;
        isFirstFragment = false;
        fragmentOffset = 0;
        l4Offset = 0;
        l4Length = 0;
        ipv4Src = 0;
        ipv4Dst = 0;
        clearIpv6Addresses();
    }

    void clearIpv4Addresses() {
        ipv4Src = 0;
        ipv4Dst = 0;
    }

    void clearIpv6Addresses() {
        ipv6SrcHigh = 0;
        ipv6SrcLow = 0;
        ipv6DstHigh = 0;
        ipv6DstLow = 0;
    }

    void clearL4() {
        hasL4Header = false;
        srcPort = 0;
        dstPort = 0;
        tcpFlags = 0;
        icmpType = 0;
        icmpCode = 0;
    }

    void clearArp() {
        arpOperation = 0;
        arpSenderMac = 0;
        arpSenderIp = 0;
        arpTargetMac = 0;
        arpTargetIp = 0;
    }

    /** For logs and test failures only (allocates). */
    @Override
    public String toString() {
        return "ParsedPacket{dst=" + MacAddress.format(dstMac) + " src=" + MacAddress.format(srcMac)
            + " vlans=" + vlanCount + (vlanCount > 0 ? " outer=" + Integer.toHexString(outerTpid) + "/" + outerVlanId : "")
            + (vlanCount > 1 ? " inner=" + innerVlanId : "")
            + " etherType=0x" + Integer.toHexString(etherType) + " l3=" + l3Offset + "+" + l3Length
            + " ipv" + ipVersion + " proto=" + protocol + " ttl=" + ttl
            + (isFragment ? " fragment@" + fragmentOffset + (isFirstFragment ? "(first)" : "") : "")
            + " l4=" + l4Offset + "+" + l4Length + (hasL4Header ? " ports=" + srcPort + ">" + dstPort : "")
            + " tcpFlags=" + tcpFlags + " icmp=" + icmpType + "/" + icmpCode
            + (arpOperation != 0 ? " arpOp=" + arpOperation : "") + "}";
    }
}

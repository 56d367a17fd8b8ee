package dev.nsdp.dataplane.counter;

/**
 * Why a frame was dropped. Every drop in the dataplane is counted under exactly one reason (VPP's
 * `show errors`); the ordinal indexes the counter arrays, so add new reasons at the end of a group
 * and never reuse one. {@link #NONE} (ordinal 0) means "not dropped" and is what parsers return
 * for a well-formed frame.
 */
public enum DropReason {
    NONE("not dropped"),

    // Layer 2 malformation
    ETHERNET_TRUNCATED("frame shorter than an Ethernet header"),
    ETHERNET_SOURCE_MULTICAST("source MAC is a multicast or broadcast address"),
    ETHERNET_LENGTH_FIELD("802.3 length field frame (not Ethernet II), not switched"),
    VLAN_TRUNCATED("frame ends inside an 802.1Q/802.1ad tag"),
    VLAN_TOO_MANY_TAGS("more than two VLAN tags"),

    // ARP
    ARP_TRUNCATED("ARP packet shorter than its header says"),
    ARP_UNSUPPORTED("ARP for a hardware or protocol type other than Ethernet/IPv4"),

    // IPv4
    IPV4_TRUNCATED("frame shorter than the IPv4 header or total length"),
    IPV4_BAD_VERSION("IP version field is not 4 in an IPv4 frame"),
    IPV4_BAD_HEADER_LENGTH("IPv4 IHL below 5 or beyond the total length"),
    IPV4_BAD_TOTAL_LENGTH("IPv4 total length smaller than its header"),
    IPV4_BAD_CHECKSUM("IPv4 header checksum wrong"),
    IPV4_BAD_OPTIONS("IPv4 options malformed"),

    // IPv6
    IPV6_TRUNCATED("frame shorter than the IPv6 header or payload length"),
    IPV6_BAD_VERSION("IP version field is not 6 in an IPv6 frame"),
    IPV6_BAD_EXTENSION_HEADER("IPv6 extension header truncated or malformed"),

    // Layer 4 (first fragments and unfragmented packets only)
    ICMP_TRUNCATED("ICMP header truncated"),
    ICMPV6_TRUNCATED("ICMPv6 header truncated"),
    UDP_TRUNCATED("UDP header truncated"),
    UDP_BAD_LENGTH("UDP length field disagrees with the IP payload"),
    TCP_TRUNCATED("TCP header truncated"),
    TCP_BAD_DATA_OFFSET("TCP data offset below 5 or beyond the segment"),

    // Switching and ports
    NO_NAMESPACE("ingress port or VLAN is not mapped to a namespace"),
    PORT_DOWN("ingress or egress port administratively down"),
    SAME_PORT("destination MAC is behind the ingress port"),
    TX_RING_FULL("egress port could not take the frame"),
    NO_BUFFER("packet pool exhausted while copying a flooded frame"),
    LOOPBACK_DOWN("sent to a namespace's loopback while it is down"),
    NO_EGRESS("flooded frame had no other up port in its namespace"),
    VLAN_NOT_ON_PORT("egress port no longer carries the frame's namespace"),
    NO_HEADROOM("no room in front of the frame to push a VLAN tag"),
    NOT_SWITCHED_IN_L3_NAMESPACE("level-3 namespace has no L2 table: frames are only for local delivery"),
    RX_FRAME_TOO_LONG("received frame larger than the port's ring slot or packet buffer (a GSO/GRO super-frame)"),
    TX_FRAME_TOO_LONG("frame larger than the egress port's ring slot"),
    RX_RING_OVERFLOW("dropped by the kernel: the port's receive ring was full"),
    TX_KERNEL_DROP("dropped by the kernel on transmit (ENOBUFS: the link's peer or queue was full)"),
    TX_ERROR("the kernel refused the frame on transmit (a TAP write failed)"),
    GSO_UNSUPPORTED("GSO super-frame the port cannot segment (not TCP or UDP over IPv4/IPv6, or headers that disagree with its length)"),
    RX_OVERSIZE_NOT_COPIED("frame larger than a receive slot that the kernel could not also queue whole (socket receive buffer full)"),
    ;

    private static final DropReason[] VALUES = values();

    private final String description;

    DropReason(final String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** Counter name in the iproute2-like dump: lower-case with dashes. */
    public String counterName() {
        return name().toLowerCase().replace('_', '-');
    }

    public static DropReason of(final int ordinal) {
        return VALUES[ordinal];
    }

    public static int count() {
        return VALUES.length;
    }
}

package dev.nsdp.control.kernel;

/**
 * Attribute numbers of link messages (linux/if_link.h, linux/veth.h) and the link flags and
 * operational states they carry (linux/if.h).
 */
final class LinkAttributes {
    static final int IFLA_ADDRESS = 1;
    static final int IFLA_BROADCAST = 2;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_MTU = 4;
    static final int IFLA_LINK = 5;
    static final int IFLA_QDISC = 6;
    static final int IFLA_MASTER = 10;
    static final int IFLA_TXQLEN = 13;
    static final int IFLA_OPERSTATE = 16;
    static final int IFLA_LINKMODE = 17;
    static final int IFLA_LINKINFO = 18;
    static final int IFLA_NET_NS_PID = 19;
    static final int IFLA_GROUP = 27;
    static final int IFLA_NET_NS_FD = 28;
    static final int IFLA_LINK_NETNSID = 37;

    // Nested in IFLA_LINKINFO.
    static final int IFLA_INFO_KIND = 1;
    static final int IFLA_INFO_DATA = 2;

    /** Nested in a veth's IFLA_INFO_DATA: an ifinfomsg followed by the peer's own attributes. */
    static final int VETH_INFO_PEER = 1;

    /** Nested in a macvlan's IFLA_INFO_DATA. */
    static final int IFLA_MACVLAN_MODE = 1;

    // net_device_flags (ifi_flags).
    static final int IFF_UP = 0x1;
    static final int IFF_BROADCAST = 0x2;
    static final int IFF_DEBUG = 0x4;
    static final int IFF_LOOPBACK = 0x8;
    static final int IFF_POINTOPOINT = 0x10;
    static final int IFF_NOTRAILERS = 0x20;
    static final int IFF_RUNNING = 0x40;
    static final int IFF_NOARP = 0x80;
    static final int IFF_PROMISC = 0x100;
    static final int IFF_ALLMULTI = 0x200;
    static final int IFF_MASTER = 0x400;
    static final int IFF_SLAVE = 0x800;
    static final int IFF_MULTICAST = 0x1000;
    static final int IFF_PORTSEL = 0x2000;
    static final int IFF_AUTOMEDIA = 0x4000;
    static final int IFF_DYNAMIC = 0x8000;
    static final int IFF_LOWER_UP = 0x10000;
    static final int IFF_DORMANT = 0x20000;
    static final int IFF_ECHO = 0x40000;

    private LinkAttributes() {
    }
}

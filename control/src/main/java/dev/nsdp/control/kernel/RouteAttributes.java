package dev.nsdp.control.kernel;

/** Attribute numbers and header values of route messages (linux/rtnetlink.h). */
final class RouteAttributes {
    static final int RTA_DST = 1;
    static final int RTA_SRC = 2;
    static final int RTA_OIF = 4;
    static final int RTA_GATEWAY = 5;
    static final int RTA_PRIORITY = 6;
    static final int RTA_PREFSRC = 7;
    static final int RTA_TABLE = 15;
    static final int RTA_PREF = 20;

    static final int RT_TABLE_MAIN = 254;
    static final int RT_TABLE_LOCAL = 255;

    static final int RTPROT_UNSPEC = 0;
    static final int RTPROT_REDIRECT = 1;
    static final int RTPROT_KERNEL = 2;
    static final int RTPROT_BOOT = 3;
    static final int RTPROT_STATIC = 4;
    static final int RTPROT_RA = 9;
    static final int RTPROT_DHCP = 16;

    static final int RT_SCOPE_UNIVERSE = 0;
    static final int RT_SCOPE_SITE = 200;
    static final int RT_SCOPE_LINK = 253;
    static final int RT_SCOPE_HOST = 254;
    static final int RT_SCOPE_NOWHERE = 255;

    static final int RTN_UNICAST = 1;
    static final int RTN_LOCAL = 2;
    static final int RTN_BROADCAST = 3;
    static final int RTN_ANYCAST = 4;
    static final int RTN_MULTICAST = 5;
    static final int RTN_BLACKHOLE = 6;
    static final int RTN_UNREACHABLE = 7;
    static final int RTN_PROHIBIT = 8;

    /** rtm_flags: the kernel made this entry (a cache clone), not a configured route. */
    static final int RTM_F_CLONED = 0x200;

    // rtm_flags / rtnh_flags that ip prints.
    static final int RTNH_F_DEAD = 1;
    static final int RTNH_F_PERVASIVE = 2;
    static final int RTNH_F_ONLINK = 4;
    static final int RTNH_F_OFFLOAD = 8;
    static final int RTNH_F_LINKDOWN = 16;
    static final int RTNH_F_UNRESOLVED = 32;

    private RouteAttributes() {
    }
}

package dev.nsdp.control.kernel;

/**
 * NETLINK_ROUTE message types and the fixed headers that follow the netlink header in each of them
 * (linux/rtnetlink.h, linux/if_addr.h, linux/net_namespace.h). Offsets are relative to the start of
 * the fixed header, which itself starts right after the 16-byte netlink header.
 */
final class RtMessages {
    static final int RTM_NEWLINK = 16;
    static final int RTM_DELLINK = 17;
    static final int RTM_GETLINK = 18;
    static final int RTM_SETLINK = 19;
    static final int RTM_NEWADDR = 20;
    static final int RTM_DELADDR = 21;
    static final int RTM_GETADDR = 22;
    static final int RTM_NEWROUTE = 24;
    static final int RTM_DELROUTE = 25;
    static final int RTM_GETROUTE = 26;
    static final int RTM_NEWNSID = 88;
    static final int RTM_GETNSID = 90;

    /** struct ifinfomsg: u8 family, u8 pad, u16 type, s32 index, u32 flags, u32 change. */
    static final int IFINFOMSG_LENGTH = 16;
    static final int IFI_FAMILY = 0;
    static final int IFI_TYPE = 2;
    static final int IFI_INDEX = 4;
    static final int IFI_FLAGS = 8;
    static final int IFI_CHANGE = 12;

    /** struct ifaddrmsg: u8 family, u8 prefixlen, u8 flags, u8 scope, u32 index. */
    static final int IFADDRMSG_LENGTH = 8;
    static final int IFA_FAMILY = 0;
    static final int IFA_PREFIXLEN = 1;
    static final int IFA_FLAGS_BYTE = 2;
    static final int IFA_SCOPE = 3;
    static final int IFA_INDEX = 4;

    /** struct rtmsg: u8 family, dst_len, src_len, tos, table, protocol, scope, type; u32 flags. */
    static final int RTMSG_LENGTH = 12;
    static final int RTM_FAMILY = 0;
    static final int RTM_DST_LEN = 1;
    static final int RTM_SRC_LEN = 2;
    static final int RTM_TOS = 3;
    static final int RTM_TABLE = 4;
    static final int RTM_PROTOCOL = 5;
    static final int RTM_SCOPE = 6;
    static final int RTM_TYPE = 7;
    static final int RTM_FLAGS = 8;

    /** struct rtgenmsg: u8 family, padded to 4 (namespace-id requests). */
    static final int RTGENMSG_LENGTH = 4;

    // Namespace-id attributes (linux/net_namespace.h).
    static final int NETNSA_NSID = 1;
    static final int NETNSA_PID = 2;
    static final int NETNSA_FD = 3;
    static final int NETNSA_NSID_NOT_ASSIGNED = -1;

    private RtMessages() {
    }
}

package dev.nsdp.control.kernel;

/**
 * The netlink wire format shared by every netlink family (linux/netlink.h): the 16-byte message
 * header, its control message types and flags, and the 4-byte alignment of messages and attributes.
 * All fields are in host byte order.
 */
final class NetlinkProtocol {
    /** struct nlmsghdr: u32 len, u16 type, u16 flags, u32 seq, u32 pid. */
    static final int HEADER_LENGTH = 16;
    static final int LENGTH_OFFSET = 0;
    static final int TYPE_OFFSET = 4;
    static final int FLAGS_OFFSET = 6;
    static final int SEQ_OFFSET = 8;
    static final int PID_OFFSET = 12;

    // Control message types (below 16, shared by all families).
    static final int NLMSG_NOOP = 1;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NLMSG_OVERRUN = 4;

    // Flags of every request.
    static final int NLM_F_REQUEST = 0x01;
    static final int NLM_F_MULTI = 0x02;
    static final int NLM_F_ACK = 0x04;
    static final int NLM_F_ECHO = 0x08;
    /** Set on dump parts when the table changed while it was being dumped: the dump must be redone. */
    static final int NLM_F_DUMP_INTR = 0x10;

    // Flags of GET requests.
    static final int NLM_F_ROOT = 0x100;
    static final int NLM_F_MATCH = 0x200;
    static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;

    // Flags of NEW requests.
    static final int NLM_F_REPLACE = 0x100;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;

    // Flags of an error ack.
    static final int NLM_F_CAPPED = 0x100;
    static final int NLM_F_ACK_TLVS = 0x200;

    /** struct nlmsgerr: int error, then the failed request's header (and body unless capped). */
    static final int ERROR_CODE_OFFSET = HEADER_LENGTH;
    static final int ERROR_REQUEST_OFFSET = HEADER_LENGTH + 4;

    // Extended-ack attributes after a capped request header.
    static final int NLMSGERR_ATTR_MSG = 1;
    static final int NLMSGERR_ATTR_OFFS = 2;

    /** struct nlattr: u16 len (header included, padding excluded), u16 type. */
    static final int ATTRIBUTE_HEADER_LENGTH = 4;
    static final int NLA_F_NESTED = 0x8000;
    static final int NLA_F_NET_BYTEORDER = 0x4000;
    static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xFFFF;

    private NetlinkProtocol() {
    }

    /** Messages and attributes start on 4-byte boundaries (NLMSG_ALIGN, NLA_ALIGN). */
    static int align(final int length) {
        return (length + 3) & ~3;
    }
}

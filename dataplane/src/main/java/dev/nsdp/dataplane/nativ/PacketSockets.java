package dev.nsdp.dataplane.nativ;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * AF_PACKET's constants and structs (linux/if_packet.h, linux/if_ether.h), declared as memory
 * layouts with the byte offsets derived from them, so the offsets the ports use and the layout
 * cannot disagree. All multi-byte fields are in host byte order except where marked "network".
 */
public final class PacketSockets {
    // linux/if_ether.h (host values; pass through Sockets.htons where the kernel wants network order)
    public static final int ETH_P_ALL = 0x0003;
    public static final int ETH_P_8021Q = 0x8100;
    public static final int ETH_P_8021AD = 0x88A8;

    /** Socket option level for the PACKET_* options. */
    public static final int SOL_PACKET = 263;

    // setsockopt(SOL_PACKET, ...)
    public static final int PACKET_ADD_MEMBERSHIP = 1;
    public static final int PACKET_DROP_MEMBERSHIP = 2;
    public static final int PACKET_RX_RING = 5;
    public static final int PACKET_STATISTICS = 6;
    public static final int PACKET_VERSION = 10;
    public static final int PACKET_HDRLEN = 11;
    public static final int PACKET_RESERVE = 12;
    public static final int PACKET_TX_RING = 13;
    /** With PACKET_LOSS the kernel skips a malformed TX frame instead of stalling the ring on it. */
    public static final int PACKET_LOSS = 14;
    public static final int PACKET_VNET_HDR = 15;
    public static final int PACKET_QDISC_BYPASS = 20;
    public static final int PACKET_IGNORE_OUTGOING = 23;

    // packet_mreq.mr_type
    public static final int PACKET_MR_MULTICAST = 0;
    public static final int PACKET_MR_PROMISC = 1;
    public static final int PACKET_MR_ALLMULTI = 2;

    // enum tpacket_versions
    public static final int TPACKET_V1 = 0;
    public static final int TPACKET_V2 = 1;
    public static final int TPACKET_V3 = 2;

    // tp_status, receive ring
    public static final int TP_STATUS_KERNEL = 0;
    public static final int TP_STATUS_USER = 1;
    public static final int TP_STATUS_COPY = 1 << 1;
    public static final int TP_STATUS_LOSING = 1 << 2;
    /** The L4 checksum is partial (CHECKSUM_PARTIAL): the field holds only the pseudo-header sum. */
    public static final int TP_STATUS_CSUMNOTREADY = 1 << 3;
    /** The frame's 802.1Q/802.1ad tag was stripped into tp_vlan_tci. */
    public static final int TP_STATUS_VLAN_VALID = 1 << 4;
    /** tp_vlan_tpid is set (else assume 0x8100). */
    public static final int TP_STATUS_VLAN_TPID_VALID = 1 << 6;
    public static final int TP_STATUS_CSUM_VALID = 1 << 7;
    public static final int TP_STATUS_GSO_TCP = 1 << 8;

    // tp_status, transmit ring
    public static final int TP_STATUS_AVAILABLE = 0;
    public static final int TP_STATUS_SEND_REQUEST = 1;
    public static final int TP_STATUS_SENDING = 1 << 1;
    public static final int TP_STATUS_WRONG_FORMAT = 1 << 2;

    /** struct sockaddr_ll (20 bytes). */
    public static final StructLayout SOCKADDR_LL = MemoryLayout.structLayout(
        JAVA_SHORT.withName("sll_family"),
        JAVA_SHORT.withName("sll_protocol"), // network order
        JAVA_INT.withName("sll_ifindex"),
        JAVA_SHORT.withName("sll_hatype"),
        JAVA_BYTE.withName("sll_pkttype"),
        JAVA_BYTE.withName("sll_halen"),
        MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("sll_addr"));

    /** struct packet_mreq (16 bytes): for PACKET_ADD_MEMBERSHIP. */
    public static final StructLayout PACKET_MREQ = MemoryLayout.structLayout(
        JAVA_INT.withName("mr_ifindex"),
        JAVA_SHORT.withName("mr_type"),
        JAVA_SHORT.withName("mr_alen"),
        MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("mr_address"));

    /** struct tpacket_req (16 bytes): the geometry of one ring, for PACKET_RX_RING / PACKET_TX_RING. */
    public static final StructLayout TPACKET_REQ = MemoryLayout.structLayout(
        JAVA_INT.withName("tp_block_size"),
        JAVA_INT.withName("tp_block_nr"),
        JAVA_INT.withName("tp_frame_size"),
        JAVA_INT.withName("tp_frame_nr"));

    /** struct tpacket_stats (8 bytes): PACKET_STATISTICS; reading it resets the kernel's counts. */
    public static final StructLayout TPACKET_STATS = MemoryLayout.structLayout(
        JAVA_INT.withName("tp_packets"),
        JAVA_INT.withName("tp_drops"));

    /** struct tpacket2_hdr (32 bytes): the header at the start of every TPACKET_V2 ring slot. */
    public static final StructLayout TPACKET2_HDR = MemoryLayout.structLayout(
        JAVA_INT.withName("tp_status"),
        JAVA_INT.withName("tp_len"),        // length on the wire
        JAVA_INT.withName("tp_snaplen"),    // bytes present in the slot (< tp_len: truncated)
        JAVA_SHORT.withName("tp_mac"),      // offset of the frame from the slot start
        JAVA_SHORT.withName("tp_net"),
        JAVA_INT.withName("tp_sec"),
        JAVA_INT.withName("tp_nsec"),
        JAVA_SHORT.withName("tp_vlan_tci"),
        JAVA_SHORT.withName("tp_vlan_tpid"),
        MemoryLayout.sequenceLayout(4, JAVA_BYTE).withName("tp_padding"));

    public static final long TP_STATUS_OFFSET = offset(TPACKET2_HDR, "tp_status");
    public static final long TP_LEN_OFFSET = offset(TPACKET2_HDR, "tp_len");
    public static final long TP_SNAPLEN_OFFSET = offset(TPACKET2_HDR, "tp_snaplen");
    public static final long TP_MAC_OFFSET = offset(TPACKET2_HDR, "tp_mac");
    public static final long TP_VLAN_TCI_OFFSET = offset(TPACKET2_HDR, "tp_vlan_tci");
    public static final long TP_VLAN_TPID_OFFSET = offset(TPACKET2_HDR, "tp_vlan_tpid");

    public static final int TPACKET_ALIGNMENT = 16;
    /** TPACKET2_HDRLEN: the aligned header followed by a sockaddr_ll (52). */
    public static final int TPACKET2_HDRLEN =
        align(TPACKET2_HDR.byteSize()) + (int) SOCKADDR_LL.byteSize();
    /**
     * Where a TX slot's frame starts (32): the kernel reads it at TPACKET2_HDRLEN minus the
     * sockaddr_ll, unless PACKET_TX_HAS_OFF is set (nsdp does not set it).
     */
    public static final int TX_FRAME_OFFSET = TPACKET2_HDRLEN - (int) SOCKADDR_LL.byteSize();
    /**
     * Where the kernel puts an RX frame in a slot with no PACKET_RESERVE: tp_net is the aligned
     * TPACKET2_HDRLEN plus 16 bytes of room for a link header, tp_mac 14 bytes before it (66).
     * Used to size slots; the receive path always reads tp_mac.
     */
    public static final int RX_FRAME_OFFSET = align(TPACKET2_HDRLEN + 16) - 14;

    private PacketSockets() {
    }

    /** TPACKET_ALIGN. */
    public static int align(final long length) {
        return (int) ((length + TPACKET_ALIGNMENT - 1) & ~(TPACKET_ALIGNMENT - 1));
    }

    /** A sockaddr_ll for bind(2): family AF_PACKET, {@code protocol} (host order) on {@code ifindex}. */
    public static MemorySegment sockaddrLl(final Arena arena, final int protocol, final int ifindex) {
        final MemorySegment address = arena.allocate(SOCKADDR_LL);
        address.set(JAVA_SHORT, offset(SOCKADDR_LL, "sll_family"), (short) Sockets.AF_PACKET);
        address.set(JAVA_SHORT, offset(SOCKADDR_LL, "sll_protocol"), (short) Sockets.htons(protocol));
        address.set(JAVA_INT, offset(SOCKADDR_LL, "sll_ifindex"), ifindex);
        return address;
    }

    /** A packet_mreq of {@code type} (PACKET_MR_PROMISC ...) on {@code ifindex}. */
    public static MemorySegment packetMreq(final Arena arena, final int ifindex, final int type) {
        final MemorySegment mreq = arena.allocate(PACKET_MREQ);
        mreq.set(JAVA_INT, offset(PACKET_MREQ, "mr_ifindex"), ifindex);
        mreq.set(JAVA_SHORT, offset(PACKET_MREQ, "mr_type"), (short) type);
        return mreq;
    }

    public static MemorySegment tpacketReq(final Arena arena, final int blockSize, final int blockCount,
                                           final int frameSize, final int frameCount) {
        final MemorySegment req = arena.allocate(TPACKET_REQ);
        req.set(JAVA_INT, offset(TPACKET_REQ, "tp_block_size"), blockSize);
        req.set(JAVA_INT, offset(TPACKET_REQ, "tp_block_nr"), blockCount);
        req.set(JAVA_INT, offset(TPACKET_REQ, "tp_frame_size"), frameSize);
        req.set(JAVA_INT, offset(TPACKET_REQ, "tp_frame_nr"), frameCount);
        return req;
    }

    public static long offset(final StructLayout layout, final String field) {
        return layout.byteOffset(groupElement(field));
    }
}

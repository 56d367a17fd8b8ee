package dev.nsdp.dataplane.nativ;

/**
 * PACKET_FANOUT (linux/if_packet.h): several AF_PACKET sockets bound to the same link join one
 * group, and the kernel hands each received frame to exactly one of them. The option value packs
 * the group id into the low 16 bits and the mode ORed with the flags into the high 16.
 *
 * <p>Groups are per network namespace and tied to one link and protocol: every member must ask
 * with the same id, mode and flags.
 */
public final class PacketFanout {
    /** setsockopt(SOL_PACKET, PACKET_FANOUT, int). Set after bind(): the socket must be running. */
    public static final int PACKET_FANOUT = 18;

    // modes
    /** By the flow hash (the kernel's symmetric 5-tuple hash): a flow always reaches the same member. */
    public static final int HASH = 0;
    /** Round robin. */
    public static final int LOAD_BALANCE = 1;
    /** By the CPU the frame arrived on. */
    public static final int CPU = 2;
    /** Fill one member until its ring is full, then the next. */
    public static final int ROLLOVER = 3;
    public static final int RANDOM = 4;
    /** By the frame's recorded RX queue. */
    public static final int QUEUE_MAPPING = 5;

    // flags (in the mode's 16 bits, above the mode byte)
    public static final int FLAG_ROLLOVER = 0x1000;
    public static final int FLAG_UNIQUEID = 0x2000;
    /** The group skips frames the host transmits on the link (PACKET_IGNORE_OUTGOING for the group; Linux 6.2+). */
    public static final int FLAG_IGNORE_OUTGOING = 0x4000;
    /** Reassemble IPv4 fragments before hashing, so a datagram's fragments reach the member its flow does. */
    public static final int FLAG_DEFRAG = 0x8000;

    private PacketFanout() {
    }

    /** The PACKET_FANOUT option value for {@code groupId} (0..65535), {@code mode} and {@code flags}. */
    public static int argument(final int groupId, final int mode, final int flags) {
        if (groupId < 0 || groupId > 0xFFFF) {
            throw new IllegalArgumentException("fanout group id must be 0..65535, got " + groupId);
        }
        return groupId | ((mode | flags) << 16);
    }
}

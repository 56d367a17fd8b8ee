package dev.nsdp.dataplane.port;

import dev.nsdp.dataplane.nativ.PacketFanout;

/**
 * How the kernel spreads a link's received frames over the sockets of one PACKET_FANOUT group
 * (one {@link PacketSocketPort} per worker on the same link). Only {@link #HASH} keeps every flow on
 * one member, so only it keeps a flow's frames in order through several workers; the others are
 * for traffic whose order does not matter.
 */
public enum FanoutMode {
    /** By the kernel's symmetric flow hash (addresses, protocol, ports): a flow always reaches the same member. */
    HASH(PacketFanout.HASH),
    /** Round robin over the members. */
    LOAD_BALANCE(PacketFanout.LOAD_BALANCE),
    /** By the CPU that received the frame. */
    CPU(PacketFanout.CPU),
    /** Random member. */
    RANDOM(PacketFanout.RANDOM),
    /** By the NIC receive queue the frame came from. */
    QUEUE_MAPPING(PacketFanout.QUEUE_MAPPING);

    private final int kernelMode;

    FanoutMode(final int kernelMode) {
        this.kernelMode = kernelMode;
    }

    /** The PACKET_FANOUT_* mode number. */
    public int kernelMode() {
        return kernelMode;
    }
}

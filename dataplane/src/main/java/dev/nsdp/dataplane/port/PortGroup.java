package dev.nsdp.dataplane.port;

/**
 * One link opened once per worker, so several workers share it: each worker polls and transmits
 * through its own member, and the kernel spreads the link's received frames over the members
 * (PACKET_FANOUT, hashed on the flow, so one flow always reaches the same worker and stays in
 * order). The namespace model sees the group as one port; the fan-out plane hands member {@code k}
 * to worker {@code k}. The group itself moves no frames.
 */
public interface PortGroup extends Port {
    /** How many members (one per worker). */
    int members();

    /** The port worker {@code k} polls and transmits through. */
    Port member(int k);

    @Override
    default int receive(final dev.nsdp.dataplane.buffer.PacketVector into, final int portIndex,
                        final dev.nsdp.dataplane.buffer.BufferCache cache) {
        throw new IllegalStateException("port group '" + name() + "' moves no frames itself: workers use its members");
    }

    @Override
    default int transmit(final dev.nsdp.dataplane.buffer.PacketVector from, final dev.nsdp.dataplane.buffer.BufferCache cache) {
        throw new IllegalStateException("port group '" + name() + "' moves no frames itself: workers use its members");
    }
}

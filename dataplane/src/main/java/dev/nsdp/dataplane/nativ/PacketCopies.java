package dev.nsdp.dataplane.nativ;

import java.lang.foreign.MemorySegment;

/**
 * Frames larger than a TPACKET_V2 receive slot. With PACKET_COPY_THRESH set, the kernel still
 * fills the slot with the frame's head (tp_snaplen &lt; tp_len) but also marks it TP_STATUS_COPY
 * and queues the whole frame on the socket's ordinary receive queue, where recvfrom() reads it.
 * The queue holds references to the kernel's buffers (no copy), charged against the socket's
 * receive buffer (SO_RCVBUF): when that is full the kernel makes no copy, and the frame exists only
 * cut short in the slot.
 *
 * <p>Slots and queued copies are made in the same order under the same lock, so the n-th slot
 * marked COPY belongs to the n-th frame on the queue.
 */
public final class PacketCopies {
    /** setsockopt(SOL_PACKET, PACKET_COPY_THRESH, int): any non-zero value turns copies on. */
    public static final int PACKET_COPY_THRESH = 7;
    /** recv flag: return the frame's real length even when the buffer was too small. */
    public static final int MSG_TRUNC = 0x20;
    /** setsockopt(SOL_SOCKET, SO_RCVBUFFORCE): SO_RCVBUF past net.core.rmem_max (CAP_NET_ADMIN). */
    public static final int SO_RCVBUFFORCE = 33;

    private PacketCopies() {
    }

    /**
     * Sets the socket's receive buffer to {@code bytes}: SO_RCVBUFFORCE first (not bound by
     * net.core.rmem_max, needs CAP_NET_ADMIN in the initial namespace), else SO_RCVBUF (capped at
     * rmem_max). Returns what the kernel granted (it doubles the request for its bookkeeping), or -errno.
     */
    public static long setReceiveBuffer(final int fd, final int bytes) {
        if (Sockets.setIntOption(fd, Sockets.SOL_SOCKET, SO_RCVBUFFORCE, bytes) < 0) {
            final int r = Sockets.setIntOption(fd, Sockets.SOL_SOCKET, Sockets.SO_RCVBUF, bytes);
            if (r < 0) {
                return r;
            }
        }
        return Sockets.getIntOption(fd, Sockets.SOL_SOCKET, Sockets.SO_RCVBUF);
    }

    /** recv flags for a copy: never block, and say the frame's full length even when it was cut. */
    public static final int RECEIVE_FLAGS = Sockets.MSG_DONTWAIT | MSG_TRUNC;

    /** recvfrom(fd, into, RECEIVE_FLAGS): the frame's full length (may exceed into's size), or -errno. */
    public static long receiveCopy(final int fd, final MemorySegment into) {
        return Sockets.recvfrom(fd, into, RECEIVE_FLAGS, MemorySegment.NULL, MemorySegment.NULL);
    }
}

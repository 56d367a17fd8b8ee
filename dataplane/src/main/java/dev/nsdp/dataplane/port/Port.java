package dev.nsdp.dataplane.port;

import dev.nsdp.dataplane.buffer.BufferCache;
import dev.nsdp.dataplane.buffer.PacketVector;

/**
 * A place frames come from and go to: a memory port, an AF_PACKET socket on a link, a TAP
 * device. One worker polls and transmits on a port (single reader, single writer). Every call
 * moves a burst; none blocks.
 */
public interface Port extends AutoCloseable {
    /** The name the user knows the port by (the link name for kernel-backed ports). */
    String name();

    /** Carrier: false while the underlying link is down or gone; the worker then skips the port. */
    boolean isLinkUp();

    /**
     * Appends up to {@code into.space()} received frames to {@code into}, tagged with {@code portIndex};
     * buffers that must be filled come from {@code cache}. Returns how many were appended.
     */
    int receive(PacketVector into, int portIndex, BufferCache cache);

    /**
     * Sends frames {@code [0, from.count())} in order, at most one kernel kick for the burst. Returns how
     * many were taken; the port now owns (or has freed into {@code cache}) those, the caller still owns
     * the rest.
     */
    int transmit(PacketVector from, BufferCache cache);

    /** A file descriptor the worker may poll() for readability when idle, or -1 if there is none. */
    default int pollFd() {
        return -1;
    }

    /** Releases the port's resources; frames still queued in it are freed into {@code cache}. */
    void close(BufferCache cache);

    @Override
    default void close() {
        close(null);
    }
}

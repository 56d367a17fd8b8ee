package dev.nsdp.dataplane.nativ;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * An array of struct pollfd (8 bytes each) for {@link LibC#poll}: how an idle worker blocks on its
 * ports' descriptors instead of spinning next to the kernel's softirq work. Allocated once, reused
 * for every idle wait (no allocation per wait). One owner thread.
 */
public final class PollFd {
    public static final short POLLIN = 0x001;
    public static final short POLLPRI = 0x002;
    public static final short POLLOUT = 0x004;
    public static final short POLLERR = 0x008;
    public static final short POLLHUP = 0x010;
    public static final short POLLNVAL = 0x020;

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        JAVA_INT.withName("fd"),
        JAVA_SHORT.withName("events"),
        JAVA_SHORT.withName("revents"));
    private static final long SIZE = LAYOUT.byteSize();
    private static final long FD = PacketSockets.offset(LAYOUT, "fd");
    private static final long EVENTS = PacketSockets.offset(LAYOUT, "events");
    private static final long REVENTS = PacketSockets.offset(LAYOUT, "revents");

    private final MemorySegment entries;
    private final int capacity;
    private int count;

    public PollFd(final Arena arena, final int capacity) {
        this.entries = arena.allocate(LAYOUT, capacity);
        this.capacity = capacity;
    }

    /** Adds {@code fd} (ignored by poll when negative) watching {@code events}; returns its index. */
    public int add(final int fd, final short events) {
        if (count == capacity) {
            throw new IllegalStateException("poll set is full (" + capacity + " descriptors)");
        }
        final long at = count * SIZE;
        entries.set(JAVA_INT, at + FD, fd);
        entries.set(JAVA_SHORT, at + EVENTS, events);
        entries.set(JAVA_SHORT, at + REVENTS, (short) 0);
        return count++;
    }

    public void clear() {
        count = 0;
    }

    public int count() {
        return count;
    }

    /** Blocks up to {@code timeoutMillis} (-1: forever) for an event: how many descriptors have one, or -errno. */
    public int poll(final int timeoutMillis) {
        return LibC.poll(entries, count, timeoutMillis);
    }

    /** The events the last {@link #poll} reported for entry {@code index}. */
    public int revents(final int index) {
        return Short.toUnsignedInt(entries.get(JAVA_SHORT, index * SIZE + REVENTS));
    }
}

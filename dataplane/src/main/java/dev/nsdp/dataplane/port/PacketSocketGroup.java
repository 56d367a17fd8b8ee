package dev.nsdp.dataplane.port;

import dev.nsdp.dataplane.buffer.BufferCache;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A kernel link shared by several workers: one {@link PacketSocketPort} per worker, all in one
 * PACKET_FANOUT group in hash mode, so the kernel gives each flow to one member and keeps it there.
 */
public final class PacketSocketGroup implements PortGroup {
    /** Fanout group ids are per network namespace; this process numbers its groups from a pid-based start. */
    private static final AtomicInteger NEXT_GROUP = new AtomicInteger((int) (ProcessHandle.current().pid() * 131) & 0x7FFF);

    private final String name;
    private final PacketSocketPort[] members;

    private PacketSocketGroup(final String name, final PacketSocketPort[] members) {
        this.name = name;
        this.members = members;
    }

    /**
     * Opens {@code members} sockets on {@code linkName} (in {@code options.namespace()}) in a new
     * fanout group; closes those already opened if one fails.
     */
    public static PacketSocketGroup open(final String linkName, final PacketSocketOptions options, final int members) {
        if (members < 1) {
            throw new IllegalArgumentException("a port group needs at least one member, got " + members);
        }
        final int group = 1 + Math.floorMod(NEXT_GROUP.getAndIncrement(), 0xFFFE); // 1..65534, each call its own
        final PacketSocketOptions memberOptions = options.withFanout(group, FanoutMode.HASH);
        final PacketSocketPort[] opened = new PacketSocketPort[members];
        try {
            for (int k = 0; k < members; k++) {
                opened[k] = PacketSocketPort.open(linkName, memberOptions);
            }
        } catch (final RuntimeException e) {
            for (final PacketSocketPort port : opened) {
                if (port != null) {
                    port.close();
                }
            }
            throw e;
        }
        return new PacketSocketGroup(linkName, opened);
    }

    @Override
    public int members() {
        return members.length;
    }

    @Override
    public PacketSocketPort member(final int k) {
        return members[k];
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isLinkUp() {
        return members[0].isLinkUp();
    }

    /** Closes every member (a member a worker already closed stays closed). */
    @Override
    public void close(final BufferCache cache) {
        for (final PacketSocketPort member : members) {
            if (!member.isClosed()) {
                member.close(cache);
            }
        }
    }

    @Override
    public String toString() {
        return "PacketSocketGroup{" + name + ", " + members.length + " members}";
    }
}

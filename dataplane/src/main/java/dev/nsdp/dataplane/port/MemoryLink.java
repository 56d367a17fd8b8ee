package dev.nsdp.dataplane.port;

import dev.nsdp.dataplane.buffer.BufferCache;
import dev.nsdp.dataplane.buffer.DescriptorRing;
import dev.nsdp.dataplane.buffer.PacketVector;

/**
 * An in-process link with two ends, the memory analogue of a veth pair: what one end transmits,
 * the other receives. Both ends share one {@link dev.nsdp.dataplane.buffer.PacketPool}, so a frame
 * crosses by descriptor, without a copy. Tests and benchmarks attach one end to a worker and
 * drive the other exactly as a kernel host would drive its side of a veth.
 */
public final class MemoryLink {
    public static final int DEFAULT_RING_SIZE = 4096;

    private final End a;
    private final End b;
    private volatile boolean up = true;

    public MemoryLink(final String nameA, final String nameB) {
        this(nameA, nameB, DEFAULT_RING_SIZE);
    }

    public MemoryLink(final String nameA, final String nameB, final int ringSize) {
        final DescriptorRing aToB = new DescriptorRing(ringSize);
        final DescriptorRing bToA = new DescriptorRing(ringSize);
        this.a = new End(nameA, bToA, aToB);
        this.b = new End(nameB, aToB, bToA);
    }

    public End a() {
        return a;
    }

    public End b() {
        return b;
    }

    /** Carrier for both ends, as `ip link set down` on one end of a veth takes the pair's carrier down. */
    public void setUp(final boolean up) {
        this.up = up;
    }

    public boolean isUp() {
        return up;
    }

    /** One end of a {@link MemoryLink}. */
    public final class End implements Port {
        private final String name;
        private final DescriptorRing rx;
        private final DescriptorRing tx;

        End(final String name, final DescriptorRing rx, final DescriptorRing tx) {
            this.name = name;
            this.rx = rx;
            this.tx = tx;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean isLinkUp() {
            return up;
        }

        @Override
        public int receive(final PacketVector into, final int portIndex, final BufferCache cache) {
            return rx.poll(into, portIndex);
        }

        @Override
        public int transmit(final PacketVector from, final BufferCache cache) {
            if (!up) {
                return 0;
            }
            return tx.offer(from, 0);
        }

        /** Sends one frame (test and generator convenience); false when the ring is full or the link down. */
        public boolean transmit(final long descriptor) {
            return up && tx.offer(descriptor);
        }

        /** Receives one frame, or -1 (test and sink convenience). */
        public long receive() {
            return rx.poll();
        }

        /** Frames waiting to be received on this end. */
        public int pending() {
            return rx.size();
        }

        @Override
        public void close(final BufferCache cache) {
            if (cache != null) {
                long d;
                while ((d = rx.poll()) != -1L) {
                    cache.free(d);
                }
            }
        }

        @Override
        public String toString() {
            return "memory:" + name;
        }
    }
}

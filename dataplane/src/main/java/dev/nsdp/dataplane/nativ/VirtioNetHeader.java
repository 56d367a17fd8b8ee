package dev.nsdp.dataplane.nativ;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * struct virtio_net_hdr (linux/virtio_net.h, 10 bytes): what an AF_PACKET socket with
 * PACKET_VNET_HDR puts in front of every received frame and expects in front of every transmitted
 * one. It carries the offload state the kernel would otherwise hide: a partial checksum (where the
 * sum starts and where it goes) and a GSO super-frame's type and segment size.
 *
 * <p>Byte order: a packet socket uses the legacy virtio convention, the host's own (little-endian
 * on x86 and arm64), so the 16-bit fields are read in native order.
 */
public final class VirtioNetHeader {
    /** flags: the L4 checksum is partial; complete it over [csum_start, end) into csum_start + csum_offset. */
    public static final int F_NEEDS_CSUM = 1;
    /** flags: the checksum was verified (CHECKSUM_UNNECESSARY). */
    public static final int F_DATA_VALID = 2;

    // gso_type
    public static final int GSO_NONE = 0;
    public static final int GSO_TCPV4 = 1;
    /** UFO: IP fragmentation of a UDP datagram (the kernel no longer produces it). */
    public static final int GSO_UDP = 3;
    public static final int GSO_TCPV6 = 4;
    /** UDP segmentation (UDP_SEGMENT): every segment is a datagram of its own. */
    public static final int GSO_UDP_L4 = 5;
    /** gso_type bit: the super-frame's first segment carries CWR (ECN). */
    public static final int GSO_ECN = 0x80;

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        JAVA_BYTE.withName("flags"),
        JAVA_BYTE.withName("gso_type"),
        JAVA_SHORT.withName("hdr_len"),
        JAVA_SHORT.withName("gso_size"),
        JAVA_SHORT.withName("csum_start"),
        JAVA_SHORT.withName("csum_offset"));

    public static final int SIZE = (int) LAYOUT.byteSize();
    public static final long FLAGS_OFFSET = PacketSockets.offset(LAYOUT, "flags");
    public static final long GSO_TYPE_OFFSET = PacketSockets.offset(LAYOUT, "gso_type");
    public static final long HDR_LEN_OFFSET = PacketSockets.offset(LAYOUT, "hdr_len");
    public static final long GSO_SIZE_OFFSET = PacketSockets.offset(LAYOUT, "gso_size");
    public static final long CSUM_START_OFFSET = PacketSockets.offset(LAYOUT, "csum_start");
    public static final long CSUM_OFFSET_OFFSET = PacketSockets.offset(LAYOUT, "csum_offset");

    private VirtioNetHeader() {
    }

    public static int flags(final MemorySegment memory, final long header) {
        return memory.get(JAVA_BYTE, header + FLAGS_OFFSET) & 0xFF;
    }

    /** The GSO type without the {@link #GSO_ECN} bit. */
    public static int gsoType(final MemorySegment memory, final long header) {
        return memory.get(JAVA_BYTE, header + GSO_TYPE_OFFSET) & 0x7F;
    }

    public static int gsoSize(final MemorySegment memory, final long header) {
        return Short.toUnsignedInt(memory.get(JAVA_SHORT_UNALIGNED, header + GSO_SIZE_OFFSET));
    }

    public static int csumStart(final MemorySegment memory, final long header) {
        return Short.toUnsignedInt(memory.get(JAVA_SHORT_UNALIGNED, header + CSUM_START_OFFSET));
    }

    public static int csumOffset(final MemorySegment memory, final long header) {
        return Short.toUnsignedInt(memory.get(JAVA_SHORT_UNALIGNED, header + CSUM_OFFSET_OFFSET));
    }

    /** Writes an all-zero header (no offload: a finished frame) at {@code header}. */
    public static void clear(final MemorySegment memory, final long header) {
        memory.set(JAVA_LONG_UNALIGNED, header, 0L);
        memory.set(JAVA_SHORT_UNALIGNED, header + 8, (short) 0);
    }

    /** Writes a header (tests and senders). */
    public static void write(final MemorySegment memory, final long header, final int flags, final int gsoType,
                             final int headerLength, final int gsoSize, final int csumStart, final int csumOffset) {
        memory.set(JAVA_BYTE, header + FLAGS_OFFSET, (byte) flags);
        memory.set(JAVA_BYTE, header + GSO_TYPE_OFFSET, (byte) gsoType);
        memory.set(JAVA_SHORT_UNALIGNED, header + HDR_LEN_OFFSET, (short) headerLength);
        memory.set(JAVA_SHORT_UNALIGNED, header + GSO_SIZE_OFFSET, (short) gsoSize);
        memory.set(JAVA_SHORT_UNALIGNED, header + CSUM_START_OFFSET, (short) csumStart);
        memory.set(JAVA_SHORT_UNALIGNED, header + CSUM_OFFSET_OFFSET, (short) csumOffset);
    }
}

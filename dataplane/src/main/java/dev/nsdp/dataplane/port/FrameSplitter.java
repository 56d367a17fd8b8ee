package dev.nsdp.dataplane.port;

import dev.nsdp.dataplane.buffer.BufferCache;
import dev.nsdp.dataplane.buffer.Descriptor;
import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.buffer.PacketVector;
import dev.nsdp.dataplane.counter.DropReason;
import dev.nsdp.dataplane.nativ.VirtioNetHeader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Cuts one received frame that is too large for a pool buffer into frames that fit, doing in
 * software what a NIC's TSO/USO engine (or the kernel's GSO) would have done on the way out:
 * <ul>
 * <li>TCP super-frames (GSO TCPV4/TCPV6): segments of at most gso_size payload bytes, each with
 *     the headers copied; IPv4 total length, id (+1 per segment) and header checksum, or IPv6
 *     payload length; TCP sequence number advanced; FIN and PSH kept only on the last segment and
 *     CWR only on the first (as the kernel's tcp_gso_segment); full TCP checksum. Should a segment
 *     not fit a pool buffer (a jumbo-MTU link), TCP is cut finer: a byte stream may be.</li>
 * <li>UDP super-frames (GSO UDP_L4, UDP_SEGMENT): every segment is a datagram of its own with its
 *     own UDP length and checksum; they cannot be cut finer, so a segment too large for a buffer
 *     drops the frame.</li>
 * <li>Plain IPv4 datagrams too large for a buffer (a jumbo-MTU link, or a datagram the kernel
 *     reassembled for PACKET_FANOUT_FLAG_DEFRAG): IPv4 fragments, as a router would make them,
 *     unless DF is set or the header carries options (options follow per-option copy rules that
 *     this port does not implement). IPv6 is never fragmented on the way.</li>
 * </ul>
 *
 * <p>Why in the port, at receive, rather than handing the super-frame on: a pool buffer is 2 KiB,
 * the pipeline and every egress port (TAP included) then only ever see frames that fit, and the
 * result can be checked against the kernel's own segmentation byte for byte.
 *
 * <p>Resumable: {@link #emit} stops when the vector is full or the pool is empty and carries on at
 * the next call; the caller keeps the source (ring slot or scratch buffer) until
 * {@link #pending()} is false. The frame's outer VLAN tag, if the kernel had moved it out of band,
 * is put back in every piece. No allocation: one instance per port, its fields are the state.
 *
 * <p>Checksums are computed from the addresses in each piece, not from the partial sum the kernel
 * left, so frames the kernel aggregated (GRO) or marked as verified are handled alike.
 */
final class FrameSplitter {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    static final int IDLE = 0;
    static final int TCP = 1;
    static final int UDP = 2;
    static final int FRAGMENT = 3;
    /** No out-of-band VLAN tag to put back. */
    static final long NO_TAG = -1L;

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETHERTYPE_QINQ = 0x88A8;
    private static final int PROTOCOL_TCP = 6;
    private static final int PROTOCOL_UDP = 17;
    private static final int IPV4_DONT_FRAGMENT = 0x4000;
    private static final int IPV4_MORE_FRAGMENTS = 0x2000;
    private static final int IPV4_FRAGMENT_OFFSET = 0x1FFF;
    private static final int TCP_FIN = 0x01;
    private static final int TCP_PSH = 0x08;
    private static final int TCP_CWR = 0x80;
    private static final int MAC_ADDRESSES = 12;
    private static final int VLAN_TAG = 4;

    private int kind = IDLE;
    private MemorySegment source;
    private long frame;
    private int length;
    /** Offset of the IP header in the source frame. */
    private int l3;
    /** Offset of the TCP/UDP header in the source frame. */
    private int l4;
    /** Source bytes [0, headerLength) are copied in front of every piece. */
    private int headerLength;
    /** Payload bytes per piece (the last may be shorter). */
    private int pieceSize;
    /** Source offset of the next piece's payload. */
    private int next;
    private int index;
    private boolean ipv4;
    private boolean tagged;
    private short tagProtocol;
    private short tagControl;
    private int firstId;
    private int firstSequence;
    /** FRAGMENT: the source's own fragment offset (8-byte units) and MF flag (it may itself be a fragment). */
    private int fragmentBase;
    private boolean moreFragments;
    /** Pseudo-header sum of the addresses and protocol (unfolded); each piece adds its L4 length. */
    private long addressSum;
    private long emittedBytes;

    /** True while pieces of the current frame remain to be emitted. */
    boolean pending() {
        return kind != IDLE;
    }

    int kind() {
        return kind;
    }

    /** Bytes of the pieces the last {@link #emit} call produced. */
    long emittedBytes() {
        return emittedBytes;
    }

    /** Forgets the current frame (the port is closing, or dropped it). */
    void abandon() {
        kind = IDLE;
        source = null;
    }

    /**
     * Prepares to segment the GSO super-frame at {@code [frame, frame + length)} of {@code source}.
     *
     * @param gsoType the virtio GSO type (without the ECN bit)
     * @param gsoSize the segment payload size the sender asked for
     * @param tag     an out-of-band VLAN tag to put back ({@code tpid << 16 | tci}), or {@link #NO_TAG}
     * @param room    the largest frame a pool buffer takes
     * @return {@link DropReason#NONE}, or why the frame cannot be segmented (nothing is then pending)
     */
    DropReason beginSegmentation(final MemorySegment source, final long frame, final int length, final int gsoType,
                                 final int gsoSize, final long tag, final int room) {
        final int protocol;
        if (gsoType == VirtioNetHeader.GSO_TCPV4 || gsoType == VirtioNetHeader.GSO_TCPV6) {
            protocol = PROTOCOL_TCP;
        } else if (gsoType == VirtioNetHeader.GSO_UDP_L4) {
            protocol = PROTOCOL_UDP;
        } else {
            return DropReason.GSO_UNSUPPORTED;
        }
        if (gsoSize == 0 || !parseIp(source, frame, length)) {
            return DropReason.GSO_UNSUPPORTED;
        }
        if ((gsoType == VirtioNetHeader.GSO_TCPV4 && !ipv4) || (gsoType == VirtioNetHeader.GSO_TCPV6 && ipv4)) {
            return DropReason.GSO_UNSUPPORTED;
        }
        final int transportProtocol = ipv4 ? u8(source, frame + l3 + 9) : ipv6UpperLayer(source, frame, length);
        if (transportProtocol != protocol
            || (ipv4 && (u16(source, frame + l3 + 6) & (IPV4_MORE_FRAGMENTS | IPV4_FRAGMENT_OFFSET)) != 0)) {
            return DropReason.GSO_UNSUPPORTED;
        }
        final int shift = tag >= 0 ? VLAN_TAG : 0;
        if (protocol == PROTOCOL_TCP) {
            if (l4 + 20 > length) {
                return DropReason.GSO_UNSUPPORTED;
            }
            final int dataOffset = (u8(source, frame + l4 + 12) >>> 4) * 4;
            if (dataOffset < 20 || l4 + dataOffset > length) {
                return DropReason.GSO_UNSUPPORTED;
            }
            headerLength = l4 + dataOffset;
            // A byte stream may be cut finer than the sender asked, where a buffer is smaller than a segment.
            pieceSize = Math.min(gsoSize, room - shift - headerLength);
            firstSequence = source.get(U32, frame + l4 + 4);
            kind = TCP;
        } else {
            if (l4 + 8 > length) {
                return DropReason.GSO_UNSUPPORTED;
            }
            headerLength = l4 + 8;
            pieceSize = gsoSize;
            if (headerLength + shift + gsoSize > room) {
                return DropReason.RX_FRAME_TOO_LONG; // datagrams cannot be cut finer
            }
            kind = UDP;
        }
        if (pieceSize <= 0) {
            kind = IDLE;
            return DropReason.RX_FRAME_TOO_LONG;
        }
        addressSum = ipv4
            ? PartialChecksum.sum(source, frame + l3 + 12, 8) + protocol
            : PartialChecksum.sum(source, frame + l3 + 8, 32) + protocol;
        firstId = ipv4 ? u16(source, frame + l3 + 4) : 0;
        start(source, frame, length, tag);
        return DropReason.NONE;
    }

    /**
     * Prepares to cut the plain IPv4 datagram at {@code [frame, frame + length)} into fragments that
     * fit {@code room}. Its L4 checksum must already be complete (fragments cannot complete it).
     *
     * @return {@link DropReason#NONE}, or {@link DropReason#RX_FRAME_TOO_LONG} when it cannot be
     *         fragmented (not IPv4, DF set, IP options, malformed)
     */
    DropReason beginFragmentation(final MemorySegment source, final long frame, final int length, final long tag,
                                  final int room) {
        if (!parseIp(source, frame, length) || !ipv4) {
            return DropReason.RX_FRAME_TOO_LONG;
        }
        final int flagsAndOffset = u16(source, frame + l3 + 6);
        if ((flagsAndOffset & IPV4_DONT_FRAGMENT) != 0 || l4 != l3 + 20) {
            return DropReason.RX_FRAME_TOO_LONG;
        }
        final int shift = tag >= 0 ? VLAN_TAG : 0;
        headerLength = l3 + 20;
        pieceSize = (room - shift - headerLength) & ~7; // every fragment but the last: a multiple of 8 bytes
        if (pieceSize <= 0) {
            return DropReason.RX_FRAME_TOO_LONG;
        }
        fragmentBase = flagsAndOffset & IPV4_FRAGMENT_OFFSET;
        moreFragments = (flagsAndOffset & IPV4_MORE_FRAGMENTS) != 0;
        kind = FRAGMENT;
        start(source, frame, length, tag);
        return DropReason.NONE;
    }

    /**
     * Appends pieces to {@code into} until the frame is done, the vector is full or the pool is
     * empty. Returns how many it appended; {@link #emittedBytes()} says how many bytes.
     */
    int emit(final PacketVector into, final int portIndex, final BufferCache cache) {
        emittedBytes = 0;
        if (kind == IDLE) {
            return 0;
        }
        final PacketPool pool = cache.pool();
        final MemorySegment memory = pool.memory();
        final int shift = tagged ? VLAN_TAG : 0;
        int pieces = 0;
        while (into.space() > 0) {
            final long descriptor = cache.allocateDescriptor();
            if (descriptor == -1L) {
                break;
            }
            final long to = pool.offsetOf(descriptor);
            final int chunk = Math.min(pieceSize, length - next);
            final boolean first = index == 0;
            final boolean last = next + chunk >= length;
            copyHeaders(memory, to);
            MemorySegment.copy(source, frame + next, memory, to + shift + headerLength, chunk);
            final long ip = to + shift + l3;
            final long transport = to + shift + l4;
            if (kind == FRAGMENT) {
                memory.set(U16, ip + 2, (short) (headerLength - l3 + chunk));
                final int offset = fragmentBase + ((next - headerLength) >>> 3);
                memory.set(U16, ip + 6, (short) (offset | (last && !moreFragments ? 0 : IPV4_MORE_FRAGMENTS)));
                ipv4HeaderChecksum(memory, ip);
            } else {
                final int l4Length = headerLength - l4 + chunk;
                if (ipv4) {
                    memory.set(U16, ip + 2, (short) (headerLength - l3 + chunk));
                    memory.set(U16, ip + 4, (short) (firstId + index));
                    ipv4HeaderChecksum(memory, ip);
                } else {
                    memory.set(U16, ip + 4, (short) (headerLength - l3 - 40 + chunk));
                }
                if (kind == TCP) {
                    memory.set(U32, transport + 4, firstSequence + (next - headerLength));
                    int flags = u8(memory, transport + 13);
                    if (!last) {
                        flags &= ~(TCP_FIN | TCP_PSH);
                    }
                    if (!first) {
                        flags &= ~TCP_CWR;
                    }
                    memory.set(ValueLayout.JAVA_BYTE, transport + 13, (byte) flags);
                    memory.set(U16, transport + 16, (short) 0);
                    final int checksum = ~PartialChecksum.fold(addressSum + l4Length
                        + PartialChecksum.sum(memory, transport, l4Length)) & 0xFFFF;
                    memory.set(U16, transport + 16, (short) checksum);
                } else {
                    memory.set(U16, transport + 4, (short) l4Length);
                    memory.set(U16, transport + 6, (short) 0);
                    final int checksum = ~PartialChecksum.fold(addressSum + l4Length
                        + PartialChecksum.sum(memory, transport, l4Length)) & 0xFFFF;
                    memory.set(U16, transport + 6, (short) (checksum == 0 ? 0xFFFF : checksum));
                }
            }
            final int pieceLength = headerLength + shift + chunk;
            into.add(Descriptor.withLength(descriptor, pieceLength), portIndex);
            emittedBytes += pieceLength;
            pieces++;
            next += chunk;
            index++;
            if (last) {
                abandon();
                break;
            }
        }
        return pieces;
    }

    private void start(final MemorySegment source, final long frame, final int length, final long tag) {
        this.source = source;
        this.frame = frame;
        this.length = length;
        this.next = headerLength;
        this.index = 0;
        this.tagged = tag >= 0;
        this.tagProtocol = (short) (tag >>> 16);
        this.tagControl = (short) tag;
    }

    private void copyHeaders(final MemorySegment memory, final long to) {
        if (tagged) {
            MemorySegment.copy(source, frame, memory, to, MAC_ADDRESSES);
            memory.set(U16, to + MAC_ADDRESSES, tagProtocol);
            memory.set(U16, to + MAC_ADDRESSES + 2, tagControl);
            MemorySegment.copy(source, frame + MAC_ADDRESSES, memory, to + MAC_ADDRESSES + VLAN_TAG,
                headerLength - MAC_ADDRESSES);
        } else {
            MemorySegment.copy(source, frame, memory, to, headerLength);
        }
    }

    /**
     * Finds the IP header (after up to two in-band VLAN tags) and the L4 header, and checks the IP
     * length agrees with the frame's: sets {@link #ipv4}, {@link #l3}, {@link #l4}.
     */
    private boolean parseIp(final MemorySegment source, final long frame, final int length) {
        int at = MAC_ADDRESSES;
        if (length < at + 2) {
            return false;
        }
        int etherType = u16(source, frame + at);
        for (int tags = 0; tags < 2 && (etherType == ETHERTYPE_VLAN || etherType == ETHERTYPE_QINQ); tags++) {
            at += VLAN_TAG;
            if (length < at + 2) {
                return false;
            }
            etherType = u16(source, frame + at);
        }
        l3 = at + 2;
        if (etherType == ETHERTYPE_IPV4) {
            if (length < l3 + 20 || (u8(source, frame + l3) >>> 4) != 4) {
                return false;
            }
            final int ihl = (u8(source, frame + l3) & 0x0F) * 4;
            ipv4 = true;
            l4 = l3 + ihl;
            return ihl >= 20 && u16(source, frame + l3 + 2) == length - l3 && l4 <= length;
        }
        if (etherType == ETHERTYPE_IPV6) {
            if (length < l3 + 40 || (u8(source, frame + l3) >>> 4) != 6) {
                return false;
            }
            ipv4 = false;
            return u16(source, frame + l3 + 4) == length - l3 - 40 && ipv6UpperLayer(source, frame, length) >= 0;
        }
        return false;
    }

    /**
     * Walks IPv6 hop-by-hop and destination-options headers: the upper-layer protocol, with
     * {@link #l4} set to its header, or -1. A routing header is refused: the pseudo-header would
     * need the final destination from it, and a fragment header means the frame is no super-frame.
     */
    private int ipv6UpperLayer(final MemorySegment source, final long frame, final int length) {
        int nextHeader = u8(source, frame + l3 + 6);
        int at = l3 + 40;
        for (int headers = 0; headers < 8 && (nextHeader == 0 || nextHeader == 60); headers++) {
            if (at + 8 > length) {
                return -1;
            }
            nextHeader = u8(source, frame + at);
            at += (u8(source, frame + at + 1) + 1) * 8;
        }
        if (at > length || nextHeader == 0 || nextHeader == 60 || nextHeader == 43 || nextHeader == 44) {
            return -1;
        }
        l4 = at;
        return nextHeader;
    }

    private static void ipv4HeaderChecksum(final MemorySegment memory, final long ip) {
        final int headerLength = (u8(memory, ip) & 0x0F) * 4;
        memory.set(U16, ip + 10, (short) 0);
        memory.set(U16, ip + 10, (short) (~PartialChecksum.fold(PartialChecksum.sum(memory, ip, headerLength)) & 0xFFFF));
    }

    private static int u8(final MemorySegment memory, final long at) {
        return memory.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
    }

    private static int u16(final MemorySegment memory, final long at) {
        return Short.toUnsignedInt(memory.get(U16, at));
    }
}

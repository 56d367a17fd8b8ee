package dev.nsdp.dataplane.port;

import static dev.nsdp.dataplane.nativ.PacketSockets.TP_LEN_OFFSET;
import static dev.nsdp.dataplane.nativ.PacketSockets.TP_MAC_OFFSET;
import static dev.nsdp.dataplane.nativ.PacketSockets.TP_SNAPLEN_OFFSET;
import static dev.nsdp.dataplane.nativ.PacketSockets.TP_STATUS_OFFSET;
import static dev.nsdp.dataplane.nativ.PacketSockets.TP_VLAN_TCI_OFFSET;
import static dev.nsdp.dataplane.nativ.PacketSockets.TP_VLAN_TPID_OFFSET;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.nsdp.dataplane.buffer.BufferCache;
import dev.nsdp.dataplane.buffer.Descriptor;
import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.buffer.PacketVector;
import dev.nsdp.dataplane.counter.DropReason;
import dev.nsdp.dataplane.nativ.Errno;
import dev.nsdp.dataplane.nativ.HotCalls;
import dev.nsdp.dataplane.nativ.KernelNamespace;
import dev.nsdp.dataplane.nativ.LibC;
import dev.nsdp.dataplane.nativ.NativeException;
import dev.nsdp.dataplane.nativ.PacketCopies;
import dev.nsdp.dataplane.nativ.PacketFanout;
import dev.nsdp.dataplane.nativ.PacketSockets;
import dev.nsdp.dataplane.nativ.Sockets;
import dev.nsdp.dataplane.nativ.VirtioNetHeader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A port on a kernel link (veth, macvlan, a NIC) through an AF_PACKET socket with TPACKET_V2
 * receive and transmit rings mapped into the process: the kernel writes received frames into RX
 * slots and sends frames the port puts into TX slots, and each side hands a slot to the other by
 * flipping its status word. No syscall per frame: one sendto() kick per transmitted burst.
 *
 * <p>TPACKET_V2, not V3: V3 hands over whole blocks, and a block is retired only when full or
 * when its timeout (milliseconds) expires, which a forwarder pays as latency.
 *
 * <p>Receive copies each frame from its slot into a pool buffer at the pool's headroom and gives
 * the slot straight back. On the way it undoes three things the kernel did to the frame:
 * <ul>
 * <li>VLAN: the kernel strips the 802.1Q/802.1ad tag into tp_vlan_tci/tp_vlan_tpid
 *     (TP_STATUS_VLAN_VALID); the port puts it back, so the pipeline sees the frame as it was on the wire.</li>
 * <li>Partial checksums: frames from a local TCP/UDP sender on a link with checksum offload
 *     (veth's default) arrive with TP_STATUS_CSUMNOTREADY and only the pseudo-header sum in the
 *     checksum field; the port completes it ({@link PartialChecksum}) where the virtio-net header
 *     says (or, without one, where parsing finds it).</li>
 * <li>Segmentation offload: a local TCP sender on a veth with default offloads (TSO on) hands the
 *     link super-frames of up to 64 KiB that the kernel never cuts, because the peer veth takes them
 *     whole. With the virtio-net header (the default, {@link PacketSocketOptions#vnetHeader()}) the
 *     port sees the GSO type and segment size and cuts each super-frame into frames that fit a pool
 *     buffer ({@link FrameSplitter}); an IPv4 datagram too large for a buffer is fragmented.</li>
 * </ul>
 *
 * <p>How frames larger than a slot reach the port (a choice, documented here): the ring keeps
 * 2 KiB slots and the kernel, with PACKET_COPY_THRESH, also queues such a frame whole on the
 * socket, where the port reads it with one recvfrom() into a 64 KiB scratch buffer (one syscall per
 * super-frame, i.e. per ~45 segments). The other way, slots large enough for any super-frame, would
 * cost 68 KiB per slot: 68 MiB for the default 1024 slots, per port, mapped whether used or not,
 * where the queue costs kernel memory only while super-frames wait, bounded by
 * {@link PacketSocketOptions#oversizeBufferBytes()}. Without the virtio-net header, frames larger
 * than a slot or a buffer are counted as {@link DropReason#RX_FRAME_TOO_LONG} and dropped.
 *
 * <p>When the pool is empty, receive stops and leaves the frames in the ring: the kernel drops
 * what no longer fits, counted as {@link DropReason#RX_RING_OVERFLOW}. A super-frame whose
 * segments do not all fit the vector (or the pool) is resumed at the next receive.
 *
 * <p>Several ports (one per worker) may share a link through PACKET_FANOUT
 * ({@link PacketSocketOptions#withFanout}); in {@link FanoutMode#HASH} every flow reaches one port,
 * so no flow is reordered across workers.
 *
 * <p>Memory per port with the defaults: the mapped rings (1024 RX and 1024 TX slots of 2 KiB, 4 MiB),
 * a 64 KiB scratch buffer, and in the kernel, only while super-frames wait for the port, up to
 * {@code oversizeBufferBytes} of their buffers (4 MiB; the kernel's own accounting doubles the figure).
 *
 * <p>With the virtio-net header, every transmitted frame carries an all-zero one (no offload asked):
 * frames leave whole, with the checksums the pipeline gave them.
 *
 * <p>The port's own transmissions are not looped back to it (PACKET_IGNORE_OUTGOING, which also
 * hides frames other local senders transmit on the link; in a fanout group the group's
 * PACKET_FANOUT_FLAG_IGNORE_OUTGOING does the same).
 *
 * <p>{@link #isLinkUp()} answers from a cache refreshed every {@code linkCheckMillis} (two
 * ioctls: flags by ifindex), and at once after a TX kick fails with ENETDOWN/ENXIO/ENODEV. The
 * refresh also clears the socket's pending error (the kernel sets ENETDOWN on it when the link
 * goes down, which makes poll() report POLLERR until read) and collects the kernel's ring-overflow
 * count. A worker that sees POLLERR on {@link #pollFd()} should call {@link #isLinkUp()}.
 *
 * <p>Threads: opened on any thread (inside its kernel namespace via {@link KernelNamespace}); then
 * one worker thread makes every call, including isLinkUp and close. Counters may be read anywhere.
 */
public final class PacketSocketPort implements Port {
    private static final VarHandle STATUS = JAVA_INT.varHandle();
    private static final ValueLayout.OfShort NETWORK_U16 =
        ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int ETHERNET_HEADER = 14;
    private static final int MAC_ADDRESSES = 12;
    private static final int VLAN_TAG = 4;
    /** Retries of a TX kick the kernel cut short with ENOBUFS (it drops one frame and stops each time). */
    private static final int KICK_ATTEMPTS = 4;
    /**
     * The scratch buffer for frames larger than a slot: a virtio-net header and the largest IPv4 or
     * IPv6 packet (64 KiB) with an Ethernet header and two VLAN tags. Larger frames (BIG TCP, which
     * a veth sends only when its gso_max_size is raised past 64 KiB) are dropped as too long.
     */
    static final int SCRATCH_BYTES = VirtioNetHeader.SIZE + 65_536 + 64;

    static final String NEEDS_CAP_NET_RAW =
        "CAP_NET_RAW (and CAP_NET_ADMIN for promiscuous mode) is needed: run as root or inside `unshare -Urnm`";

    private final String name;
    private final KernelNamespace namespace;
    private final PacketSocketOptions options;
    private final int fd;
    private final int ifindex;
    private final Arena arena;
    private final MemorySegment ring;
    private final long txBase;
    private final int frameSize;
    private final int rxFrames;
    private final int txFrames;
    private final int txCapacity;
    private final PortCounters counters = new PortCounters();
    private final LinkMonitor link;
    private final long linkCheckNanos;
    private final MemorySegment optionValue;
    private final MemorySegment optionLength;
    /** Bytes of virtio-net header in front of each frame in a slot (0 without PACKET_VNET_HDR). */
    private final int vnetBytes;
    /** Where frames larger than a slot land whole (virtio-net header first); null without PACKET_VNET_HDR. */
    private final MemorySegment scratch;
    private final FrameSplitter splitter = new FrameSplitter();

    private int rxHead;
    private int txHead;
    private boolean kickPending;
    private boolean linkUp;
    private long nextLinkCheck;
    private boolean closed;
    /** The head slot is marked COPY and its whole frame is already in {@link #scratch} ({@link #fetchedLength} bytes). */
    private boolean headFetched;
    private long fetchedLength;

    @SuppressWarnings("restricted") // reinterpret gives the kernel's ring mapping a size and an owner
    private PacketSocketPort(final String name, final PacketSocketOptions options) {
        this.name = name;
        this.namespace = options.namespace();
        this.options = options;
        this.frameSize = options.frameSize();
        this.rxFrames = options.rxFrames();
        this.txFrames = options.txFrames();
        this.txCapacity = options.txSlotCapacity();
        this.linkCheckNanos = options.linkCheckMillis() * 1_000_000L;
        this.vnetBytes = options.vnetHeaderBytes();

        final int socket = Sockets.socket(Sockets.AF_PACKET,
            Sockets.SOCK_RAW | Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC, 0); // protocol 0: nothing queued before bind
        if (socket < 0) {
            throw new NativeException("socket(AF_PACKET, SOCK_RAW) for link '" + name + "'", -socket,
                -socket == Errno.EPERM || -socket == Errno.EACCES ? NEEDS_CAP_NET_RAW : null);
        }
        this.fd = socket;
        final Arena portArena = Arena.ofShared();
        MemorySegment mapped = null;
        try {
            this.ifindex = lookUp(socket, name, namespace, portArena);
            setIntOption(PacketSockets.PACKET_VERSION, PacketSockets.TPACKET_V2, "PACKET_VERSION TPACKET_V2");
            setIntOption(PacketSockets.PACKET_LOSS, 1, "PACKET_LOSS");
            setIntOption(PacketSockets.PACKET_IGNORE_OUTGOING, 1, "PACKET_IGNORE_OUTGOING");
            if (options.qdiscBypass()) {
                setIntOption(PacketSockets.PACKET_QDISC_BYPASS, 1, "PACKET_QDISC_BYPASS");
            }
            if (options.vnetHeader()) {
                // Before the rings: the kernel sizes slot contents by it, and refuses it once they exist.
                setIntOption(PacketSockets.PACKET_VNET_HDR, 1, "PACKET_VNET_HDR");
                setIntOption(PacketCopies.PACKET_COPY_THRESH, 1, "PACKET_COPY_THRESH");
                if (options.oversizeBufferBytes() > 0) {
                    final long granted = PacketCopies.setReceiveBuffer(socket, options.oversizeBufferBytes());
                    if (granted < 0) {
                        throw new NativeException("setsockopt(SO_RCVBUF, " + options.oversizeBufferBytes()
                            + ") on link '" + name + "'", (int) -granted);
                    }
                }
            }
            setRing(PacketSockets.PACKET_RX_RING, "PACKET_RX_RING", rxFrames, portArena);
            setRing(PacketSockets.PACKET_TX_RING, "PACKET_TX_RING", txFrames, portArena);
            final long size = options.mappingSize();
            final long address = LibC.mmap(0L, size, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, socket, 0L);
            if (address < 0) {
                throw new NativeException("mmap of the " + size + "-byte RX+TX ring of link '" + name + "'",
                    (int) -address, lowerTheRingHint());
            }
            // The mapping belongs to the port's arena: closing the arena unmaps it, and any later
            // access throws instead of touching unmapped memory.
            mapped = MemorySegment.ofAddress(address).reinterpret(size, portArena, m -> LibC.munmap(m.address(), size));
            final int bound = Sockets.bind(socket, PacketSockets.sockaddrLl(portArena, PacketSockets.ETH_P_ALL, ifindex));
            if (bound < 0) {
                throw new NativeException("bind(AF_PACKET, ETH_P_ALL) to link '" + name + "' in kernel namespace '"
                    + namespace.displayName() + "'", -bound);
            }
            if (options.promiscuous()) {
                final int joined = Sockets.setsockopt(socket, PacketSockets.SOL_PACKET,
                    PacketSockets.PACKET_ADD_MEMBERSHIP,
                    PacketSockets.packetMreq(portArena, ifindex, PacketSockets.PACKET_MR_PROMISC));
                if (joined < 0) {
                    throw new NativeException("setsockopt(PACKET_ADD_MEMBERSHIP, PACKET_MR_PROMISC) on link '" + name + "'",
                        -joined, -joined == Errno.EPERM ? NEEDS_CAP_NET_RAW : null);
                }
            }
            if (options.hasFanout()) {
                joinFanout(socket, name, options);
            }
        } catch (final RuntimeException e) {
            portArena.close(); // unmaps the ring if it was mapped
            LibC.close(socket);
            throw e;
        }
        this.arena = portArena;
        this.ring = mapped;
        this.txBase = (long) rxFrames * frameSize;
        this.link = new LinkMonitor(socket, ifindex, portArena);
        this.optionValue = portArena.allocate(PacketSockets.TPACKET_STATS);
        this.optionLength = portArena.allocate(JAVA_INT);
        this.scratch = options.vnetHeader() ? portArena.allocate(SCRATCH_BYTES, 64) : null;
        checkLink(System.nanoTime());
    }

    /** Opens a port on {@code linkName} in the caller's kernel network namespace, with default options. */
    public static PacketSocketPort open(final String linkName) {
        return open(linkName, PacketSocketOptions.defaults());
    }

    /**
     * Opens a port on {@code linkName} in {@code options.namespace()}. The socket is created by a
     * thread inside that namespace (a socket keeps its namespace for life), so the caller's own
     * namespace does not matter.
     *
     * @throws NativeException with a message that says what failed and what to change: no such link
     *                         (ENODEV), no privilege (EPERM), a ring too large to allocate or map (ENOMEM)
     */
    public static PacketSocketPort open(final String linkName, final PacketSocketOptions options) {
        return options.namespace().call(() -> new PacketSocketPort(linkName, options));
    }

    @Override
    public String name() {
        return name;
    }

    public KernelNamespace namespace() {
        return namespace;
    }

    public PacketSocketOptions options() {
        return options;
    }

    /** The link's index in its namespace. */
    public int ifindex() {
        return ifindex;
    }

    public PortCounters counters() {
        return counters;
    }

    @Override
    public int pollFd() {
        return fd;
    }

    @Override
    public boolean isLinkUp() {
        final long now = System.nanoTime();
        if (now - nextLinkCheck >= 0) {
            checkLink(now);
        }
        return linkUp;
    }

    @Override
    public int receive(final PacketVector into, final int portIndex, final BufferCache cache) {
        if (kickPending) {
            kick();
        }
        int received = 0;
        if (splitter.pending() && (received = continueSplit(into, portIndex, cache)) < 0) {
            return -received - 1; // still not done: the vector or the pool is full
        }
        final PacketPool pool = cache.pool();
        final MemorySegment memory = pool.memory();
        final int room = pool.bufferSize() - pool.headroom();
        final MemorySegment ring = this.ring;
        final int vnetBytes = this.vnetBytes;
        int head = rxHead;
        int plain = 0;
        long bytes = 0;
        int completed = 0;
        int unresolved = 0;
        int restored = 0;
        // The hot loop takes plain frames only; anything else (larger than a slot, a GSO super-frame,
        // larger than a buffer) goes to receiveLarge, kept out of line so this loop stays small
        // enough for the JIT to inline the native calls whole (and allocate nothing).
        while (into.space() > 0) {
            final long slot = (long) head * frameSize;
            final int status = (int) STATUS.getAcquire(ring, slot + TP_STATUS_OFFSET);
            if ((status & PacketSockets.TP_STATUS_USER) == 0) {
                break;
            }
            final int captured = ring.get(JAVA_INT, slot + TP_SNAPLEN_OFFSET);
            final long frame = slot + Short.toUnsignedInt(ring.get(JAVA_SHORT, slot + TP_MAC_OFFSET));
            final long vnet = frame - vnetBytes;
            final boolean tagged = (status & PacketSockets.TP_STATUS_VLAN_VALID) != 0;
            final int length = tagged ? captured + VLAN_TAG : captured;
            if ((status & PacketSockets.TP_STATUS_COPY) != 0 || captured != ring.get(JAVA_INT, slot + TP_LEN_OFFSET)
                || length > room || (vnetBytes != 0 && VirtioNetHeader.gsoType(ring, vnet) != VirtioNetHeader.GSO_NONE)) {
                rxHead = head;
                final int pieces = receiveLarge(into, portIndex, cache, slot, status);
                head = rxHead;
                if (pieces < 0) {
                    received += -pieces - 1;
                    break; // the slot stays ours: pieces pending, or no buffer
                }
                received += pieces;
                continue;
            }
            if (captured < ETHERNET_HEADER) {
                counters.addDrops(DropReason.ETHERNET_TRUNCATED, 1);
                head = release(head);
                continue;
            }
            final long descriptor = cache.allocateDescriptor();
            if (descriptor == -1L) {
                break; // pool exhausted: leave the frame to the next poll (or to the kernel's drop count)
            }
            final long to = pool.offsetOf(descriptor);
            if (tagged) {
                MemorySegment.copy(ring, frame, memory, to, MAC_ADDRESSES);
                memory.set(NETWORK_U16, to + MAC_ADDRESSES, (short) tagProtocol(status, slot));
                memory.set(NETWORK_U16, to + MAC_ADDRESSES + 2, ring.get(JAVA_SHORT, slot + TP_VLAN_TCI_OFFSET));
                MemorySegment.copy(ring, frame + MAC_ADDRESSES, memory, to + MAC_ADDRESSES + VLAN_TAG,
                    captured - MAC_ADDRESSES);
                restored++;
            } else {
                MemorySegment.copy(ring, frame, memory, to, captured);
            }
            if (vnetBytes != 0) {
                if ((VirtioNetHeader.flags(ring, vnet) & VirtioNetHeader.F_NEEDS_CSUM) != 0) {
                    if (PartialChecksum.completeAt(memory, to, length,
                        VirtioNetHeader.csumStart(ring, vnet) + (tagged ? VLAN_TAG : 0),
                        VirtioNetHeader.csumOffset(ring, vnet))) {
                        completed++;
                    } else {
                        unresolved++;
                    }
                }
            } else if ((status & PacketSockets.TP_STATUS_CSUMNOTREADY) != 0) {
                if (PartialChecksum.complete(memory, to, length)) {
                    completed++;
                } else {
                    unresolved++;
                }
            }
            into.add(Descriptor.withLength(descriptor, length), portIndex);
            plain++;
            bytes += length;
            head = release(head);
        }
        rxHead = head;
        if (plain > 0) {
            counters.addRx(plain, bytes); // receiveLarge and continueSplit count their own
        }
        if ((completed | unresolved) != 0) {
            counters.addChecksums(completed, unresolved);
        }
        if (restored != 0) {
            counters.addVlanTagsRestored(restored);
        }
        return received + plain;
    }

    /**
     * Carries on cutting the head slot's frame into pieces. Returns how many it appended, or, when
     * the frame is still not done, {@code -(appended + 1)}.
     */
    private int continueSplit(final PacketVector into, final int portIndex, final BufferCache cache) {
        final int kind = splitter.kind();
        final int pieces = splitter.emit(into, portIndex, cache);
        countPieces(kind, 0, pieces);
        counters.addRx(pieces, splitter.emittedBytes());
        if (splitter.pending()) {
            return -pieces - 1;
        }
        rxHead = release(rxHead);
        return pieces;
    }

    /**
     * The head slot (at {@code slot}, {@link #rxHead}) holds a frame the hot loop does not take: one
     * larger than the slot (whole on the socket queue, or cut short with no copy), a GSO super-frame,
     * or a frame larger than a pool buffer. Fetches, segments, fragments or drops it, and counts what
     * it did. Returns the frames it appended, having released the slot; or {@code -(appended + 1)}
     * when the slot must stay (pieces pending, or no buffer): the next receive carries on with it.
     */
    private int receiveLarge(final PacketVector into, final int portIndex, final BufferCache cache, final long slot,
                             final int status) {
        final int captured = ring.get(JAVA_INT, slot + TP_SNAPLEN_OFFSET);
        MemorySegment source = ring;
        long frame = slot + Short.toUnsignedInt(ring.get(JAVA_SHORT, slot + TP_MAC_OFFSET));
        long vnet = frame - vnetBytes;
        int frameLength = captured;
        if ((status & PacketSockets.TP_STATUS_COPY) != 0 && vnetBytes != 0) {
            // Larger than the slot: the whole frame waits on the socket's queue, in slot order.
            if (!headFetched) {
                fetchedLength = HotCalls.recvfrom(fd, scratch, PacketCopies.RECEIVE_FLAGS);
                if (fetchedLength < 0) {
                    // A pending socket error (ENETDOWN when the link went down) is reported, and
                    // cleared, before the queue is read: read again, or the copies fall out of step.
                    fetchedLength = PacketCopies.receiveCopy(fd, scratch);
                    nextLinkCheck = System.nanoTime();
                }
                headFetched = true;
                counters.addOversizeCopies(1);
            }
            if (fetchedLength < 0) {
                return drop(DropReason.RX_OVERSIZE_NOT_COPIED); // the queue was empty: cannot happen
            }
            if (fetchedLength > SCRATCH_BYTES) {
                return drop(DropReason.RX_FRAME_TOO_LONG);
            }
            source = scratch;
            vnet = 0;
            frame = vnetBytes;
            frameLength = (int) fetchedLength - vnetBytes;
        } else if (captured != ring.get(JAVA_INT, slot + TP_LEN_OFFSET)) {
            // Cut short with no whole copy: no virtio-net header (no copies asked for), or the
            // socket's receive buffer was full.
            return drop(vnetBytes != 0 ? DropReason.RX_OVERSIZE_NOT_COPIED : DropReason.RX_FRAME_TOO_LONG);
        }
        if (frameLength < ETHERNET_HEADER) {
            return drop(DropReason.ETHERNET_TRUNCATED);
        }
        final PacketPool pool = cache.pool();
        final int room = pool.bufferSize() - pool.headroom();
        final boolean tagged = (status & PacketSockets.TP_STATUS_VLAN_VALID) != 0;
        final int length = tagged ? frameLength + VLAN_TAG : frameLength;
        final int gsoType = vnetBytes != 0 ? VirtioNetHeader.gsoType(source, vnet) : VirtioNetHeader.GSO_NONE;
        if (gsoType == VirtioNetHeader.GSO_NONE && length <= room) {
            // Only larger than a slot (a buffer is a little larger): one copy from the scratch buffer.
            final long descriptor = cache.allocateDescriptor();
            if (descriptor == -1L) {
                return -1;
            }
            final MemorySegment memory = pool.memory();
            final long to = pool.offsetOf(descriptor);
            if (tagged) {
                MemorySegment.copy(source, frame, memory, to, MAC_ADDRESSES);
                memory.set(NETWORK_U16, to + MAC_ADDRESSES, (short) tagProtocol(status, slot));
                memory.set(NETWORK_U16, to + MAC_ADDRESSES + 2, ring.get(JAVA_SHORT, slot + TP_VLAN_TCI_OFFSET));
                MemorySegment.copy(source, frame + MAC_ADDRESSES, memory, to + MAC_ADDRESSES + VLAN_TAG,
                    frameLength - MAC_ADDRESSES);
                counters.addVlanTagsRestored(1);
            } else {
                MemorySegment.copy(source, frame, memory, to, frameLength);
            }
            if ((VirtioNetHeader.flags(source, vnet) & VirtioNetHeader.F_NEEDS_CSUM) != 0) {
                final boolean done = PartialChecksum.completeAt(memory, to, length,
                    VirtioNetHeader.csumStart(source, vnet) + (tagged ? VLAN_TAG : 0), VirtioNetHeader.csumOffset(source, vnet));
                counters.addChecksums(done ? 1 : 0, done ? 0 : 1);
            }
            into.add(Descriptor.withLength(descriptor, length), portIndex);
            counters.addRx(1, length);
            rxHead = release(rxHead);
            return 1;
        }
        if (vnetBytes == 0) {
            return drop(DropReason.RX_FRAME_TOO_LONG);
        }
        final long tag = tagged ? (long) tagProtocol(status, slot) << 16
            | Short.toUnsignedInt(ring.get(JAVA_SHORT, slot + TP_VLAN_TCI_OFFSET)) : FrameSplitter.NO_TAG;
        final DropReason refused;
        if (gsoType != VirtioNetHeader.GSO_NONE) {
            refused = splitter.beginSegmentation(source, frame, frameLength, gsoType,
                VirtioNetHeader.gsoSize(source, vnet), tag, room);
        } else {
            // A plain datagram too large for a buffer: its checksum must be whole before it is cut.
            if ((VirtioNetHeader.flags(source, vnet) & VirtioNetHeader.F_NEEDS_CSUM) != 0) {
                final boolean done = PartialChecksum.completeAt(source, frame, frameLength,
                    VirtioNetHeader.csumStart(source, vnet), VirtioNetHeader.csumOffset(source, vnet));
                counters.addChecksums(done ? 1 : 0, done ? 0 : 1);
            }
            refused = splitter.beginFragmentation(source, frame, frameLength, tag, room);
        }
        if (refused != DropReason.NONE) {
            return drop(refused);
        }
        if (tagged) {
            counters.addVlanTagsRestored(1);
        }
        final int kind = splitter.kind();
        final int pieces = splitter.emit(into, portIndex, cache);
        countPieces(kind, 1, pieces);
        counters.addRx(pieces, splitter.emittedBytes());
        if (splitter.pending()) {
            return -pieces - 1;
        }
        rxHead = release(rxHead);
        return pieces;
    }

    /** Counts the head slot's frame as dropped for {@code reason} and releases the slot: 0 frames appended. */
    private int drop(final DropReason reason) {
        counters.addDrops(reason, 1);
        rxHead = release(rxHead);
        return 0;
    }

    /** Gives the RX slot at {@code head} back to the kernel; the next head. */
    private int release(final int head) {
        STATUS.setRelease(ring, (long) head * frameSize + TP_STATUS_OFFSET, PacketSockets.TP_STATUS_KERNEL);
        headFetched = false;
        return head + 1 == rxFrames ? 0 : head + 1;
    }

    private void countPieces(final int kind, final int frames, final int pieces) {
        if (kind == FrameSplitter.FRAGMENT) {
            counters.addFragmented(frames, pieces);
        } else {
            counters.addGso(frames, pieces);
        }
    }

    @Override
    public int transmit(final PacketVector from, final BufferCache cache) {
        final int count = from.count();
        final PacketPool pool = cache.pool();
        final MemorySegment memory = pool.memory();
        final MemorySegment ring = this.ring;
        int head = txHead;
        int taken = 0;
        int queued = 0;
        long bytes = 0;
        while (taken < count) {
            final long slot = txBase + (long) head * frameSize;
            if ((int) STATUS.getAcquire(ring, slot + TP_STATUS_OFFSET) != PacketSockets.TP_STATUS_AVAILABLE) {
                break; // ring full: the kernel still owns this slot (SEND_REQUEST or SENDING)
            }
            final long descriptor = from.descriptor(taken++);
            final int length = Descriptor.length(descriptor);
            if (length > txCapacity) {
                counters.addDrops(DropReason.TX_FRAME_TOO_LONG, 1);
            } else if (length < ETHERNET_HEADER) {
                counters.addDrops(DropReason.ETHERNET_TRUNCATED, 1);
            } else {
                if (vnetBytes != 0) {
                    // A finished frame: no offload asked of the kernel.
                    VirtioNetHeader.clear(ring, slot + PacketSockets.TX_FRAME_OFFSET);
                }
                MemorySegment.copy(memory, pool.offsetOf(descriptor), ring,
                    slot + PacketSockets.TX_FRAME_OFFSET + vnetBytes, length);
                ring.set(JAVA_INT, slot + TP_LEN_OFFSET, length + vnetBytes);
                STATUS.setRelease(ring, slot + TP_STATUS_OFFSET, PacketSockets.TP_STATUS_SEND_REQUEST);
                head = head + 1 == txFrames ? 0 : head + 1;
                queued++;
                bytes += length;
            }
            cache.free(descriptor);
        }
        txHead = head;
        if (queued > 0) {
            counters.addTx(queued, bytes);
            kick();
        }
        return taken;
    }

    @Override
    public void close(final BufferCache cache) {
        if (closed) {
            return;
        }
        closed = true;
        linkUp = false;
        splitter.abandon();
        arena.close(); // munmap of both rings
        LibC.close(fd);
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "packet:" + name + (namespace.isCurrent() ? "" : "@" + namespace.displayName());
    }

    /** Tells the kernel to send the TX slots marked SEND_REQUEST. Never blocks (MSG_DONTWAIT). */
    private void kick() {
        // Almost every kick succeeds: first through the errno-free binding, which allocates nothing
        // whatever the JIT inlines. Only a failed kick is repeated through the binding that keeps
        // errno, to learn why; a kick hands the kernel only slots still marked SEND_REQUEST, so the
        // second one sends nothing twice.
        counters.addKick();
        if (HotCalls.kick(fd, Sockets.MSG_DONTWAIT) >= 0) {
            kickPending = false;
            return;
        }
        for (int attempt = 0; attempt < KICK_ATTEMPTS; attempt++) {
            counters.addKick();
            final long r = Sockets.sendto(fd, MemorySegment.NULL, 0L, Sockets.MSG_DONTWAIT, MemorySegment.NULL, 0);
            if (r >= 0) {
                kickPending = false;
                return;
            }
            final int errno = (int) -r;
            if (errno == Errno.ENOBUFS) {
                // The kernel dropped one frame (the peer's queue was full) and stopped: the rest are
                // still marked, so kick again for them.
                counters.addDrops(DropReason.TX_KERNEL_DROP, 1);
                continue;
            }
            if (errno == Errno.EAGAIN) {
                kickPending = true; // socket send buffer full: retried on the next receive or transmit
                return;
            }
            counters.addKickError();
            kickPending = false; // frames stay queued and leave with the next burst's kick
            if (errno == Errno.ENETDOWN || errno == Errno.ENXIO || errno == Errno.ENODEV) {
                nextLinkCheck = System.nanoTime(); // ask the kernel on the next isLinkUp()
            }
            return;
        }
        kickPending = true;
    }

    private void checkLink(final long now) {
        nextLinkCheck = now + linkCheckNanos;
        linkUp = link.query() == LinkMonitor.UP;
        // Reading SO_ERROR clears the ENETDOWN the kernel posts when the link goes down; otherwise
        // poll() keeps reporting POLLERR and an idle worker would spin.
        optionLength.set(JAVA_INT, 0, 4);
        HotCalls.getsockopt(fd, Sockets.SOL_SOCKET, Sockets.SO_ERROR, optionValue, optionLength);
        // Frames the kernel dropped because the RX ring was full (reading resets the kernel's count).
        optionLength.set(JAVA_INT, 0, (int) PacketSockets.TPACKET_STATS.byteSize());
        if (HotCalls.getsockopt(fd, PacketSockets.SOL_PACKET, PacketSockets.PACKET_STATISTICS, optionValue,
            optionLength) == 0) {
            counters.addDrops(DropReason.RX_RING_OVERFLOW, optionValue.get(JAVA_INT, 4) & 0xFFFF_FFFFL);
        }
    }

    private static void joinFanout(final int socket, final String name, final PacketSocketOptions options) {
        final int flags = PacketFanout.FLAG_IGNORE_OUTGOING | (options.fanoutDefrag() ? PacketFanout.FLAG_DEFRAG : 0);
        final int argument = PacketFanout.argument(options.fanoutGroup(), options.fanoutMode().kernelMode(), flags);
        final int r = Sockets.setIntOption(socket, PacketSockets.SOL_PACKET, PacketFanout.PACKET_FANOUT, argument);
        if (r < 0) {
            throw new NativeException("setsockopt(PACKET_FANOUT, group " + options.fanoutGroup() + ", "
                + options.fanoutMode() + (options.fanoutDefrag() ? ", defrag" : "") + ") on link '" + name + "'", -r,
                -r == Errno.EINVAL
                    ? "group " + options.fanoutGroup() + " exists in this network namespace on another link or with"
                    + " another mode or defrag setting: every port of a group must be on the same link with the same"
                    + " mode and defrag (the group's outgoing-frame filter needs Linux 6.2 or newer)"
                    : null);
        }
    }

    private int tagProtocol(final int status, final long slot) {
        if ((status & PacketSockets.TP_STATUS_VLAN_TPID_VALID) != 0) {
            final int tpid = Short.toUnsignedInt(ring.get(JAVA_SHORT, slot + TP_VLAN_TPID_OFFSET));
            if (tpid != 0) {
                return tpid;
            }
        }
        return PacketSockets.ETH_P_8021Q;
    }

    private static int lookUp(final int socket, final String name, final KernelNamespace namespace, final Arena arena) {
        final int index = LinkMonitor.indexOf(socket, name, arena);
        if (index < 0) {
            final String where = "kernel namespace '" + namespace.displayName() + "'";
            throw new NativeException("look up link '" + name + "' in " + where, -index,
                -index == Errno.ENODEV ? "link '" + name + "' not found in " + where : null);
        }
        return index;
    }

    private void setIntOption(final int option, final int value, final String what) {
        final int r = Sockets.setIntOption(fd, PacketSockets.SOL_PACKET, option, value);
        if (r < 0) {
            throw new NativeException("setsockopt(" + what + ") on link '" + name + "'", -r,
                -r == Errno.ENOPROTOOPT ? "this kernel lacks the option (nsdp needs Linux 4.20 or newer)" : null);
        }
    }

    private void setRing(final int option, final String what, final int frames, final Arena arena) {
        final MemorySegment request = PacketSockets.tpacketReq(arena, options.blockSize(),
            frames / options.framesPerBlock(), frameSize, frames);
        final int r = Sockets.setsockopt(fd, PacketSockets.SOL_PACKET, option, request);
        if (r < 0) {
            throw new NativeException("setsockopt(" + what + ", " + frames + " slots of " + frameSize
                + " bytes) on link '" + name + "'", -r, -r == Errno.ENOMEM ? lowerTheRingHint() : null);
        }
    }

    private String lowerTheRingHint() {
        return "the kernel could not allocate or map " + options.mappingSize()
            + " bytes of ring: lower rxFrames/txFrames (now " + rxFrames + "/" + txFrames
            + ") or frameSize (now " + frameSize + ") in PacketSocketOptions";
    }
}

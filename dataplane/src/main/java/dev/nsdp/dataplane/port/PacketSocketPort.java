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
import dev.nsdp.dataplane.nativ.KernelNamespace;
import dev.nsdp.dataplane.nativ.LibC;
import dev.nsdp.dataplane.nativ.NativeException;
import dev.nsdp.dataplane.nativ.PacketSockets;
import dev.nsdp.dataplane.nativ.Sockets;
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
 * the slot straight back. On the way it undoes two things the kernel did to the frame:
 * <ul>
 * <li>VLAN: the kernel strips the 802.1Q/802.1ad tag into tp_vlan_tci/tp_vlan_tpid
 *     (TP_STATUS_VLAN_VALID); the port puts it back, so the pipeline sees the frame as it was on the wire.</li>
 * <li>Partial checksums: frames from a local TCP/UDP sender on a link with checksum offload
 *     (veth's default) arrive with TP_STATUS_CSUMNOTREADY and only the pseudo-header sum in the
 *     checksum field; the port completes it ({@link PartialChecksum}).</li>
 * </ul>
 * Frames larger than a slot or a pool buffer (GSO/GRO super-frames the kernel did not segment)
 * are counted as {@link DropReason#RX_FRAME_TOO_LONG} and dropped: segmenting them is the
 * TSO/GSO step still to come. When the pool is empty, receive stops and leaves the frames in the
 * ring: the kernel drops what no longer fits, counted as {@link DropReason#RX_RING_OVERFLOW}.
 *
 * <p>The port's own transmissions are not looped back to it (PACKET_IGNORE_OUTGOING, which also
 * hides frames other local senders transmit on the link).
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

    private int rxHead;
    private int txHead;
    private boolean kickPending;
    private boolean linkUp;
    private long nextLinkCheck;
    private boolean closed;

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
        final PacketPool pool = cache.pool();
        final MemorySegment memory = pool.memory();
        final int room = pool.bufferSize() - pool.headroom();
        final int want = into.space();
        final MemorySegment ring = this.ring;
        int head = rxHead;
        int received = 0;
        long bytes = 0;
        int completed = 0;
        int unresolved = 0;
        int restored = 0;
        while (received < want) {
            final long slot = (long) head * frameSize;
            final int status = (int) STATUS.getAcquire(ring, slot + TP_STATUS_OFFSET);
            if ((status & PacketSockets.TP_STATUS_USER) == 0) {
                break;
            }
            final int captured = ring.get(JAVA_INT, slot + TP_SNAPLEN_OFFSET);
            final boolean tagged = (status & PacketSockets.TP_STATUS_VLAN_VALID) != 0;
            final int length = tagged ? captured + VLAN_TAG : captured;
            if (captured != ring.get(JAVA_INT, slot + TP_LEN_OFFSET) || length > room) {
                counters.addDrops(DropReason.RX_FRAME_TOO_LONG, 1);
            } else if (captured < ETHERNET_HEADER) {
                counters.addDrops(DropReason.ETHERNET_TRUNCATED, 1);
            } else {
                final long descriptor = cache.allocateDescriptor();
                if (descriptor == -1L) {
                    break; // pool exhausted: leave the frame to the next poll (or to the kernel's drop count)
                }
                final long to = pool.offsetOf(descriptor);
                final long from = slot + Short.toUnsignedInt(ring.get(JAVA_SHORT, slot + TP_MAC_OFFSET));
                if (tagged) {
                    MemorySegment.copy(ring, from, memory, to, MAC_ADDRESSES);
                    memory.set(NETWORK_U16, to + MAC_ADDRESSES, (short) tagProtocol(status, slot));
                    memory.set(NETWORK_U16, to + MAC_ADDRESSES + 2, ring.get(JAVA_SHORT, slot + TP_VLAN_TCI_OFFSET));
                    MemorySegment.copy(ring, from + MAC_ADDRESSES, memory, to + MAC_ADDRESSES + VLAN_TAG,
                        captured - MAC_ADDRESSES);
                    restored++;
                } else {
                    MemorySegment.copy(ring, from, memory, to, captured);
                }
                if ((status & PacketSockets.TP_STATUS_CSUMNOTREADY) != 0) {
                    if (PartialChecksum.complete(memory, to, length)) {
                        completed++;
                    } else {
                        unresolved++;
                    }
                }
                into.add(Descriptor.withLength(descriptor, length), portIndex);
                received++;
                bytes += length;
            }
            STATUS.setRelease(ring, slot + TP_STATUS_OFFSET, PacketSockets.TP_STATUS_KERNEL);
            head = head + 1 == rxFrames ? 0 : head + 1;
        }
        rxHead = head;
        if (received > 0) {
            counters.addRx(received, bytes);
            if ((completed | unresolved) != 0) {
                counters.addChecksums(completed, unresolved);
            }
            if (restored != 0) {
                counters.addVlanTagsRestored(restored);
            }
        }
        return received;
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
                MemorySegment.copy(memory, pool.offsetOf(descriptor), ring, slot + PacketSockets.TX_FRAME_OFFSET, length);
                ring.set(JAVA_INT, slot + TP_LEN_OFFSET, length);
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
        Sockets.getsockopt(fd, Sockets.SOL_SOCKET, Sockets.SO_ERROR, optionValue, optionLength);
        // Frames the kernel dropped because the RX ring was full (reading resets the kernel's count).
        optionLength.set(JAVA_INT, 0, (int) PacketSockets.TPACKET_STATS.byteSize());
        if (Sockets.getsockopt(fd, PacketSockets.SOL_PACKET, PacketSockets.PACKET_STATISTICS, optionValue,
            optionLength) == 0) {
            counters.addDrops(DropReason.RX_RING_OVERFLOW, optionValue.get(JAVA_INT, 4) & 0xFFFF_FFFFL);
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

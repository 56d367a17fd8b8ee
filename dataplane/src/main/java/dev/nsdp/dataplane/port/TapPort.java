package dev.nsdp.dataplane.port;

import dev.nsdp.dataplane.buffer.BufferCache;
import dev.nsdp.dataplane.buffer.Descriptor;
import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.buffer.PacketVector;
import dev.nsdp.dataplane.counter.DropReason;
import dev.nsdp.dataplane.nativ.Errno;
import dev.nsdp.dataplane.nativ.InterfaceRequest;
import dev.nsdp.dataplane.nativ.KernelNamespace;
import dev.nsdp.dataplane.nativ.LibC;
import dev.nsdp.dataplane.nativ.NativeException;
import dev.nsdp.dataplane.nativ.Sockets;
import dev.nsdp.dataplane.nativ.Tun;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A port that is the "wire" side of a TAP device: what the kernel transmits on the tap, the port
 * receives, and what the port transmits, the kernel receives on the tap. Opened with
 * IFF_TAP | IFF_NO_PI (bare Ethernet frames, no packet-information prefix) and O_NONBLOCK.
 *
 * <p>One syscall per frame each way (read, write): a tap has no ring. Receive reads straight into
 * pool buffers at the headroom until the kernel's queue is empty (EAGAIN), the vector is full or the
 * pool is empty. A frame that does not fit a buffer is dropped ({@link DropReason#RX_FRAME_TOO_LONG}):
 * the kernel hands over its full length and the read reports it, so the port can tell (a frame
 * exactly filling the buffer is treated the same, being indistinguishable from a cut one). Without
 * IFF_VNET_HDR the kernel segments and checksums everything before the tap, so no partial checksums
 * or GSO frames arrive here, and a VLAN tag is delivered inline.
 *
 * <p>Create or attach: if no link of that name exists, TUNSETIFF creates the tap, and closing the
 * port removes it again (unless something made it persistent meanwhile); if a persistent tap of
 * that name exists (`ip tuntap add`), the port attaches to it and closing leaves it in place.
 * A tap takes one queue owner: attaching to a tap that another descriptor holds fails with EBUSY.
 *
 * <p>Threads: as {@link PacketSocketPort}.
 */
public final class TapPort implements Port {
    private static final int ETHERNET_HEADER = 14;
    static final String NEEDS_CAP_NET_ADMIN =
        "CAP_NET_ADMIN is needed to create or attach a TAP: run as root (TAPs do not work inside `unshare -Urnm`)";

    private final String name;
    private final KernelNamespace namespace;
    private final int fd;
    private final int controlFd;
    private final int ifindex;
    private final boolean created;
    private final Arena arena;
    private final LinkMonitor link;
    private final long linkCheckNanos;
    private final PortCounters counters = new PortCounters();

    private boolean linkUp;
    private long nextLinkCheck;
    private boolean closed;

    private TapPort(final String requestedName, final KernelNamespace namespace, final int linkCheckMillis) {
        this.namespace = namespace;
        this.linkCheckNanos = linkCheckMillis * 1_000_000L;
        InterfaceRequest.checkLinkName(requestedName);
        final Arena tapArena = Arena.ofShared();
        int tap = -1;
        int control = -1;
        try {
            // A datagram socket in the tap's namespace answers the link ioctls (the tun descriptor does not).
            control = Sockets.socket(Sockets.AF_INET, Sockets.SOCK_DGRAM | Sockets.SOCK_CLOEXEC, 0);
            NativeException.check(control, "socket(AF_INET, SOCK_DGRAM) for TAP link queries");
            this.created = LinkMonitor.indexOf(control, requestedName, tapArena) == -Errno.ENODEV;

            tap = LibC.open(Tun.CLONE_DEVICE, LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
            if (tap < 0) {
                throw new NativeException("open " + Tun.CLONE_DEVICE, -tap,
                    -tap == Errno.ENOENT ? Tun.CLONE_DEVICE + " is missing: the kernel needs the tun driver (CONFIG_TUN)"
                        : -tap == Errno.EACCES || -tap == Errno.EPERM ? NEEDS_CAP_NET_ADMIN : null);
            }
            final MemorySegment request = InterfaceRequest.forLink(tapArena, requestedName);
            InterfaceRequest.setFlags(request, Tun.IFF_TAP | Tun.IFF_NO_PI);
            final int r = LibC.ioctl(tap, Tun.TUNSETIFF, request);
            if (r < 0) {
                throw new NativeException("TUNSETIFF (IFF_TAP | IFF_NO_PI) for '" + requestedName
                    + "' in kernel namespace '" + namespace.displayName() + "'", -r, setIfHint(-r, requestedName));
            }
            this.name = InterfaceRequest.name(request); // the kernel's name for it (the same, unless a pattern)
            final int index = LinkMonitor.indexOf(control, name, tapArena);
            this.ifindex = NativeException.check(index, "look up TAP '" + name + "'");
        } catch (final RuntimeException e) {
            if (tap >= 0) {
                LibC.close(tap);
            }
            if (control >= 0) {
                LibC.close(control);
            }
            tapArena.close();
            throw e;
        }
        this.fd = tap;
        this.controlFd = control;
        this.arena = tapArena;
        this.link = new LinkMonitor(control, ifindex, tapArena);
        checkLink(System.nanoTime());
    }

    /** Creates (or attaches to) TAP {@code name} in the caller's kernel namespace. */
    public static TapPort open(final String name) {
        return open(name, KernelNamespace.current());
    }

    /**
     * Creates (or attaches to) TAP {@code name} in {@code namespace}: a thread inside it opens the
     * clone device, and the tap is created where that thread is.
     *
     * @throws NativeException no privilege (EPERM), the name is taken by a non-TAP link (EINVAL),
     *                         the tap is held by another descriptor (EBUSY), the namespace is missing
     */
    public static TapPort open(final String name, final KernelNamespace namespace) {
        return open(name, namespace, PacketSocketOptions.DEFAULT_LINK_CHECK_MILLIS);
    }

    /** As {@link #open(String, KernelNamespace)}, asking the kernel for the link state every {@code linkCheckMillis}. */
    public static TapPort open(final String name, final KernelNamespace namespace, final int linkCheckMillis) {
        if (linkCheckMillis < 0) {
            throw new IllegalArgumentException("linkCheckMillis must be >= 0, got " + linkCheckMillis);
        }
        return namespace.call(() -> new TapPort(name, namespace, linkCheckMillis));
    }

    @Override
    public String name() {
        return name;
    }

    public KernelNamespace namespace() {
        return namespace;
    }

    public int ifindex() {
        return ifindex;
    }

    /** True when this port created the tap (and so removes it on close), false when it attached to an existing one. */
    public boolean created() {
        return created;
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
        if (closed) {
            return 0; // the descriptor number may already belong to someone else
        }
        final PacketPool pool = cache.pool();
        final int room = pool.bufferSize() - pool.headroom();
        final int want = into.space();
        int received = 0;
        long bytes = 0;
        while (received < want) {
            final long descriptor = cache.allocateDescriptor();
            if (descriptor == -1L) {
                break;
            }
            final long n = LibC.read(fd, pool.addressOf(descriptor), room);
            if (n < ETHERNET_HEADER || n >= room) {
                cache.free(descriptor);
                if (n == -Errno.EAGAIN) {
                    break; // the kernel's queue for the tap is empty
                }
                if (n >= room) {
                    counters.addDrops(DropReason.RX_FRAME_TOO_LONG, 1);
                    continue;
                }
                if (n >= 0) {
                    counters.addDrops(DropReason.ETHERNET_TRUNCATED, 1);
                    continue;
                }
                break; // EBADFD and the like: the tap is gone; isLinkUp() will say so
            }
            into.add(Descriptor.withLength(descriptor, (int) n), portIndex);
            received++;
            bytes += n;
        }
        if (received > 0) {
            counters.addRx(received, bytes);
        }
        return received;
    }

    @Override
    public int transmit(final PacketVector from, final BufferCache cache) {
        if (closed) {
            return 0;
        }
        final PacketPool pool = cache.pool();
        final int count = from.count();
        int taken = 0;
        int sent = 0;
        long bytes = 0;
        while (taken < count) {
            final long descriptor = from.descriptor(taken);
            final int length = Descriptor.length(descriptor);
            final long r = LibC.write(fd, pool.addressOf(descriptor), length);
            if (r == -Errno.EAGAIN) {
                break; // the caller keeps this frame and the rest
            }
            taken++;
            if (r == length) {
                sent++;
                bytes += length;
            } else if (length < ETHERNET_HEADER) {
                counters.addDrops(DropReason.ETHERNET_TRUNCATED, 1);
            } else {
                // EIO: the tap is down; EINVAL/EMSGSIZE: the kernel would not take the frame.
                counters.addDrops(DropReason.TX_ERROR, 1);
                if (r == -Errno.EIO) {
                    nextLinkCheck = System.nanoTime();
                }
            }
            cache.free(descriptor);
        }
        if (sent > 0) {
            counters.addTx(sent, bytes);
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
        LibC.close(fd); // a tap that is not persistent disappears with its last descriptor
        LibC.close(controlFd);
        arena.close();
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "tap:" + name + (namespace.isCurrent() ? "" : "@" + namespace.displayName());
    }

    private void checkLink(final long now) {
        nextLinkCheck = now + linkCheckNanos;
        linkUp = !closed && link.query() == LinkMonitor.UP;
    }

    private static String setIfHint(final int errno, final String name) {
        return switch (errno) {
            case Errno.EPERM, Errno.EACCES -> NEEDS_CAP_NET_ADMIN;
            case Errno.EBUSY -> "TAP '" + name + "' is already held by another descriptor (one queue owner at a time)";
            case Errno.EINVAL -> "a link named '" + name + "' exists and is not a TAP";
            default -> null;
        };
    }
}

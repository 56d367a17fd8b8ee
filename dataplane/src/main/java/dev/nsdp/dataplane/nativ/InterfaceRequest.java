package dev.nsdp.dataplane.nativ;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.nio.charset.StandardCharsets;

/**
 * struct ifreq (linux/if.h, 40 bytes) and the SIOC* link ioctls that take it. An ifreq names a
 * link in the network namespace of the SOCKET the ioctl is made on (not of the calling thread), so
 * a port can ask about its own link from any thread through its own socket.
 */
public final class InterfaceRequest {
    /** Link names are at most 15 bytes plus the terminating NUL. */
    public static final int IFNAMSIZ = 16;

    public static final long SIOCGIFNAME = 0x8910;
    public static final long SIOCGIFFLAGS = 0x8913;
    public static final long SIOCSIFFLAGS = 0x8914;
    public static final long SIOCGIFMTU = 0x8921;
    public static final long SIOCGIFINDEX = 0x8933;

    // net_device_flags that fit in ifr_flags (a short: IFF_LOWER_UP and above are not reported here)
    public static final int IFF_UP = 0x1;
    public static final int IFF_BROADCAST = 0x2;
    public static final int IFF_LOOPBACK = 0x8;
    /** Operationally up: the carrier is on (RFC 2863 operstate UP, or UNKNOWN for drivers that do not say). */
    public static final int IFF_RUNNING = 0x40;
    public static final int IFF_PROMISC = 0x100;
    public static final int IFF_MULTICAST = 0x1000;

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        MemoryLayout.sequenceLayout(IFNAMSIZ, JAVA_BYTE).withName("ifr_name"),
        MemoryLayout.unionLayout(
            JAVA_SHORT.withName("ifr_flags"),
            JAVA_INT.withName("ifr_ifindex"), // also ifr_mtu
            MemoryLayout.sequenceLayout(24, JAVA_BYTE).withName("ifr_map") // the union's full size
        ).withName("ifr_ifru"));

    /** Offset of the union: ifr_flags, ifr_ifindex and ifr_mtu all start here. */
    public static final long IFRU_OFFSET = PacketSockets.offset(LAYOUT, "ifr_ifru");

    private InterfaceRequest() {
    }

    public static MemorySegment allocate(final Arena arena) {
        return arena.allocate(LAYOUT);
    }

    /** An ifreq naming {@code linkName}. */
    public static MemorySegment forLink(final Arena arena, final String linkName) {
        final MemorySegment ifreq = allocate(arena);
        setName(ifreq, linkName);
        return ifreq;
    }

    /** Checks a link name as the kernel would (1..15 bytes, no '/', ':' or whitespace) and throws if it is not one. */
    public static byte[] checkLinkName(final String linkName) {
        final byte[] bytes = linkName.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length >= IFNAMSIZ) {
            throw new IllegalArgumentException(
                "link name '" + linkName + "' must be 1.." + (IFNAMSIZ - 1) + " bytes long");
        }
        for (final byte b : bytes) {
            if (b == '/' || b == ':' || b <= ' ') {
                throw new IllegalArgumentException("link name '" + linkName + "' contains '/', ':' or whitespace");
            }
        }
        return bytes;
    }

    public static void setName(final MemorySegment ifreq, final String linkName) {
        final byte[] bytes = checkLinkName(linkName);
        for (int i = 0; i < IFNAMSIZ; i++) {
            ifreq.set(JAVA_BYTE, i, i < bytes.length ? bytes[i] : 0);
        }
    }

    public static String name(final MemorySegment ifreq) {
        int length = 0;
        while (length < IFNAMSIZ && ifreq.get(JAVA_BYTE, length) != 0) {
            length++;
        }
        final byte[] bytes = new byte[length];
        MemorySegment.copy(ifreq, JAVA_BYTE, 0, bytes, 0, length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** ifr_flags as an unsigned 16-bit value. */
    public static int flags(final MemorySegment ifreq) {
        return Short.toUnsignedInt(ifreq.get(JAVA_SHORT, IFRU_OFFSET));
    }

    public static void setFlags(final MemorySegment ifreq, final int flags) {
        ifreq.set(JAVA_SHORT, IFRU_OFFSET, (short) flags);
    }

    /** ifr_ifindex (also ifr_mtu for SIOCGIFMTU). */
    public static int intValue(final MemorySegment ifreq) {
        return ifreq.get(JAVA_INT, IFRU_OFFSET);
    }

    public static void setIntValue(final MemorySegment ifreq, final int value) {
        ifreq.set(JAVA_INT, IFRU_OFFSET, value);
    }
}

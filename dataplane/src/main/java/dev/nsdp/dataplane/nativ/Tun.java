package dev.nsdp.dataplane.nativ;

/**
 * The TUN/TAP driver's interface (linux/if_tun.h): the clone device, its ioctls and the ifreq
 * flags TUNSETIFF takes. A TAP is created (or attached) by opening {@link #CLONE_DEVICE} and
 * issuing TUNSETIFF with an {@link InterfaceRequest} naming it; the tap lives in the network
 * namespace of the thread that opened the clone device.
 */
public final class Tun {
    public static final String CLONE_DEVICE = "/dev/net/tun";

    /** _IOW('T', 202, int) */
    public static final long TUNSETIFF = 0x400454CAL;
    /** _IOW('T', 203, int) */
    public static final long TUNSETPERSIST = 0x400454CBL;
    /** _IOR('T', 210, unsigned int) */
    public static final long TUNGETIFF = 0x800454D2L;

    // ifr_flags for TUNSETIFF / reported by TUNGETIFF
    public static final int IFF_TUN = 0x0001;
    public static final int IFF_TAP = 0x0002;
    public static final int IFF_MULTI_QUEUE = 0x0100;
    /** Reported by TUNGETIFF: the device outlives its file descriptors. */
    public static final int IFF_PERSIST = 0x0800;
    /** No 4-byte packet-information prefix: read/write carry the bare Ethernet frame. */
    public static final int IFF_NO_PI = 0x1000;
    public static final int IFF_VNET_HDR = 0x4000;

    private Tun() {
    }
}

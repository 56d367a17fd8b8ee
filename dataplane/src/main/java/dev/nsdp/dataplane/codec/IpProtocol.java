package dev.nsdp.dataplane.codec;

/** IP protocol / IPv6 next-header numbers (IANA "Assigned Internet Protocol Numbers"). */
public final class IpProtocol {
    public static final int HOP_BY_HOP = 0;
    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int IPV6_ROUTING = 43;
    public static final int IPV6_FRAGMENT = 44;
    public static final int ESP = 50;
    public static final int AH = 51;
    public static final int ICMPV6 = 58;
    public static final int IPV6_NO_NEXT_HEADER = 59;
    public static final int IPV6_DESTINATION_OPTIONS = 60;
    public static final int MOBILITY = 135;
    public static final int HIP = 139;
    public static final int SHIM6 = 140;

    /** Extension header numbers as bits, for a branch-light membership test. */
    private static final long EXTENSION_HEADERS_BELOW_64 =
        1L << HOP_BY_HOP | 1L << IPV6_ROUTING | 1L << IPV6_FRAGMENT | 1L << AH | 1L << IPV6_DESTINATION_OPTIONS;
    private static final long EXTENSION_HEADERS_FROM_128 =
        1L << (MOBILITY - 128) | 1L << (HIP - 128) | 1L << (SHIM6 - 128);

    private IpProtocol() {
    }

    /**
     * True for the IPv6 extension headers a parser walks past to reach the upper layer (RFC 8200
     * section 4 and the IANA list). ESP is not among them: what follows it is encrypted, so ESP is
     * the upper layer as far as a forwarder can see; neither is No Next Header.
     */
    public static boolean isIpv6ExtensionHeader(final int nextHeader) {
        // Bitmaps instead of a chain of compares: the common case (TCP, UDP, ICMPv6) costs one
        // compare, one shift and one test. Java masks long shift distances to 6 bits, hence the ranges.
        if (nextHeader < 64) {
            return ((EXTENSION_HEADERS_BELOW_64 >>> nextHeader) & 1L) != 0;
        }
        return nextHeader >= MOBILITY && nextHeader <= SHIM6 && ((EXTENSION_HEADERS_FROM_128 >>> (nextHeader - 128)) & 1L) != 0;
    }
}

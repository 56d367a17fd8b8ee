package dev.nsdp.dataplane.codec;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;

/**
 * The Internet checksum (RFC 1071): full computation over a buffer range, the IPv4 and IPv6
 * pseudo-headers of UDP, TCP and ICMPv6, and the incremental update of RFC 1624 for a router
 * that rewrites a field (TTL, an address, a port) and must not re-read the whole packet.
 *
 * <p>Vocabulary: a <em>sum</em> is an unfolded one's-complement accumulator (a {@code long}, big-
 * endian 16-bit word values) that callers may add together; {@link #fold(long)} reduces it to 16
 * bits; a <em>checksum</em> is the complement of the folded sum, the value stored in a header.
 *
 * <p>The one's-complement sum does not depend on byte order (RFC 1071 section 2(B)), so
 * {@link #sum} reads memory in native order, 8 bytes at a time, and swaps the 16-bit result once
 * at the end instead of swapping every word.
 */
public final class Checksum {
    private static final boolean NATIVE_BIG_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

    private Checksum() {
    }

    /**
     * One's-complement sum of {@code length} bytes at {@code offset}, as big-endian 16-bit words (an
     * odd final byte is padded with a zero byte). Unfolded: the result fits in well under 64 bits
     * for any buffer an {@code int} can index.
     */
    public static long sum(final DirectBuffer buffer, final int offset, final int length) {
        final long acc = nativeSum(buffer, offset, length);
        if (NATIVE_BIG_ENDIAN) {
            return acc;
        }
        final int folded = fold(acc);
        return ((folded & 0xFF) << 8) | (folded >>> 8);
    }

    /** The unfolded sum of native-order words: byte-swapped relative to {@link #sum} on little-endian machines. */
    private static long nativeSum(final DirectBuffer buffer, final int offset, final int length) {
        long acc = 0;
        int i = offset;
        final int end = offset + length;
        final int longEnd = end - 7;
        // Each 64-bit word is added as two 32-bit halves so the accumulator cannot overflow: 2^31
        // bytes at most give 2^29 halves of < 2^32 each, < 2^61.
        while (i < longEnd) {
            final long v = buffer.getLong(i);
            acc += (v >>> 32) + (v & 0xFFFF_FFFFL);
            i += 8;
        }
        if (end - i >= 4) {
            acc += buffer.getInt(i) & 0xFFFF_FFFFL;
            i += 4;
        }
        if (end - i >= 2) {
            acc += buffer.getShort(i) & 0xFFFF;
            i += 2;
        }
        if (i < end) {
            // The odd byte is the first (high-order) byte of a big-endian word: in a little-endian
            // word read it is the low-order byte.
            final int b = buffer.getByte(i) & 0xFF;
            acc += NATIVE_BIG_ENDIAN ? b << 8 : b;
        }
        return acc;
    }

    /** Folds an unfolded sum to 16 bits with end-around carry. */
    public static int fold(final long sum) {
        long s = (sum & 0xFFFF_FFFFL) + (sum >>> 32);
        s = (s & 0xFFFF) + (s >>> 16);
        s = (s & 0xFFFF) + (s >>> 16);
        return (int) ((s & 0xFFFF) + (s >>> 16));
    }

    /** The checksum to store for a sum: its folded complement. */
    public static int finish(final long sum) {
        return ~fold(sum) & 0xFFFF;
    }

    /** The checksum over a range whose checksum field is zero (e.g. an IPv4 header being built). */
    public static int compute(final DirectBuffer buffer, final int offset, final int length) {
        return finish(sum(buffer, offset, length));
    }

    /** True if a range including its stored checksum sums to all ones (the receiver's check). */
    public static boolean isValid(final DirectBuffer buffer, final int offset, final int length) {
        // All ones reads the same in either byte order: no swap needed.
        return fold(nativeSum(buffer, offset, length)) == 0xFFFF;
    }

    /** Sum of the IPv4 pseudo-header: source, destination, zero + protocol, L4 length. */
    public static long ipv4PseudoHeaderSum(final int source, final int destination, final int protocol, final int l4Length) {
        return (source >>> 16) + (source & 0xFFFF) + (destination >>> 16) + (destination & 0xFFFF)
            + protocol + l4Length;
    }

    /**
     * Sum of the IPv6 pseudo-header (RFC 8200 section 8.1) with the addresses read in place:
     * source and destination (16 bytes each), the 32-bit upper-layer length, the next header.
     */
    public static long ipv6PseudoHeaderSum(
        final DirectBuffer buffer, final int sourceOffset, final int destinationOffset, final int protocol, final int l4Length) {
        return sum(buffer, sourceOffset, 16) + sum(buffer, destinationOffset, 16)
            + (l4Length >>> 16) + (l4Length & 0xFFFF) + protocol;
    }

    /**
     * TCP or UDP checksum over IPv4 (ICMPv4 has no pseudo-header: use {@link #compute}). The L4
     * checksum field must be zero. UDP callers then apply {@link #udpTransmitted(int)}.
     */
    public static int ipv4L4(
        final DirectBuffer buffer, final int l4Offset, final int l4Length, final int source, final int destination, final int protocol) {
        return finish(ipv4PseudoHeaderSum(source, destination, protocol, l4Length) + sum(buffer, l4Offset, l4Length));
    }

    /** TCP, UDP or ICMPv6 checksum over IPv6, the L4 checksum field zero. */
    public static int ipv6L4(
        final DirectBuffer buffer, final int l4Offset, final int l4Length, final int sourceOffset, final int destinationOffset,
        final int protocol) {
        return finish(ipv6PseudoHeaderSum(buffer, sourceOffset, destinationOffset, protocol, l4Length)
            + sum(buffer, l4Offset, l4Length));
    }

    /**
     * A computed UDP checksum of zero is sent as 0xFFFF (RFC 768): zero on the wire means "no
     * checksum" over IPv4 (and is forbidden over IPv6).
     */
    public static int udpTransmitted(final int checksum) {
        return checksum == 0 ? 0xFFFF : checksum;
    }

    /**
     * RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m'): the checksum after a 16-bit word of the covered data
     * changes from {@code oldWord} to {@code newWord}. Equals a full recompute (both yield values in
     * 0..0xFFFE, never the negative zero 0xFFFF that eqn. 2 of RFC 1141 could produce).
     */
    public static int update16(final int checksum, final int oldWord, final int newWord) {
        final int sum = (~checksum & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
        return ~fold(sum) & 0xFFFF;
    }

    /** {@link #update16} for a 32-bit field (an IPv4 address, a TCP sequence number): both halves at once. */
    public static int update32(final int checksum, final int oldValue, final int newValue) {
        final long sum = (~checksum & 0xFFFF)
            + (~oldValue >>> 16 & 0xFFFF) + (~oldValue & 0xFFFF)
            + (newValue >>> 16) + (newValue & 0xFFFF);
        return ~fold(sum) & 0xFFFF;
    }

    /**
     * {@link #update16} for a UDP-over-IPv4 checksum: zero (no checksum) stays zero, and a result of
     * zero is sent as 0xFFFF.
     */
    public static int updateUdp16(final int checksum, final int oldWord, final int newWord) {
        return checksum == 0 ? 0 : udpTransmitted(update16(checksum, oldWord, newWord));
    }

    /** {@link #update32} with the UDP zero rules of {@link #updateUdp16}. */
    public static int updateUdp32(final int checksum, final int oldValue, final int newValue) {
        return checksum == 0 ? 0 : udpTransmitted(update32(checksum, oldValue, newValue));
    }
}

package dev.nsdp.dataplane.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * MAC addresses as the low 48 bits of a {@code long} (first octet in bits 47..40), so tables key
 * and compare them as numbers. Parsing and formatting are for the control path only.
 */
public final class MacAddress {
    public static final long BROADCAST = 0xFFFF_FFFF_FFFFL;
    private static final long GROUP_BIT = 0x0100_0000_0000L;

    private MacAddress() {
    }

    public static long read(final DirectBuffer buffer, final int offset) {
        return ((long) (buffer.getShort(offset, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF) << 32)
            | (buffer.getInt(offset + 2, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL);
    }

    public static void write(final MutableDirectBuffer buffer, final int offset, final long mac) {
        buffer.putShort(offset, (short) (mac >>> 32), java.nio.ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + 2, (int) mac, java.nio.ByteOrder.BIG_ENDIAN);
    }

    /** Group (multicast or broadcast) addresses have the I/G bit of the first octet set. */
    public static boolean isMulticast(final long mac) {
        return (mac & GROUP_BIT) != 0;
    }

    /** Parses "02:00:00:00:00:01" (or with '-'); throws IllegalArgumentException saying what is wrong. */
    public static long parse(final String text) {
        final String[] parts = text.trim().split("[:-]");
        if (parts.length != 6) {
            throw new IllegalArgumentException("MAC address '" + text + "' must be six hex octets like 02:00:00:00:00:01");
        }
        long mac = 0;
        for (final String part : parts) {
            if (part.isEmpty() || part.length() > 2) {
                throw new IllegalArgumentException("MAC address '" + text + "' has a bad octet '" + part + "'");
            }
            try {
                mac = (mac << 8) | Integer.parseInt(part, 16);
            } catch (final NumberFormatException e) {
                throw new IllegalArgumentException("MAC address '" + text + "' has a non-hex octet '" + part + "'");
            }
        }
        return mac;
    }

    public static String format(final long mac) {
        final StringBuilder sb = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            final int octet = (int) (mac >>> shift) & 0xFF;
            if (sb.length() > 0) {
                sb.append(':');
            }
            sb.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xF, 16));
        }
        return sb.toString();
    }
}

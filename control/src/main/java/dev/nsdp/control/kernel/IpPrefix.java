package dev.nsdp.control.kernel;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 address with a prefix length, as {@code ip} writes it: {@code 198.18.0.1/24},
 * {@code 2001:db8::1/64}; a bare address means a host prefix (/32, /128). Parsing accepts literals
 * only (never a host name: no DNS lookups from a configuration tool).
 */
public record IpPrefix(InetAddress address, int length) {
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    public IpPrefix {
        if (length < 0 || length > bits(address)) {
            throw new IllegalArgumentException("prefix length " + length + " is out of range 0.." + bits(address)
                + " for " + address.getHostAddress());
        }
    }

    /** Parses {@code ADDRESS[/LENGTH]}; throws IllegalArgumentException naming what is wrong. */
    public static IpPrefix parse(final String text) {
        final int slash = text.indexOf('/');
        final String addressText = slash < 0 ? text : text.substring(0, slash);
        final InetAddress address = parseAddress(addressText);
        int length = bits(address);
        if (slash >= 0) {
            final String lengthText = text.substring(slash + 1);
            try {
                length = Integer.parseInt(lengthText);
            } catch (final NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a prefix: '" + lengthText
                    + "' is not a prefix length (write e.g. 198.18.0.1/24 or 2001:db8::1/64)");
            }
            if (length < 0 || length > bits(address) || lengthText.startsWith("+")) {
                throw new IllegalArgumentException("'" + text + "' is not a prefix: the length must be 0.."
                    + bits(address) + " for an " + (address instanceof Inet4Address ? "IPv4" : "IPv6") + " address");
            }
        }
        return new IpPrefix(address, length);
    }

    /**
     * An address literal: dotted quad or IPv6 text. InetAddress.getByName would also resolve host
     * names, so the text is checked to be a literal first.
     */
    public static InetAddress parseAddress(final String text) {
        final boolean ipv4 = text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        final boolean ipv6 = text.indexOf(':') >= 0 && text.matches("[0-9A-Fa-f:.]+");
        if (!ipv4 && !ipv6) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address");
        }
        if (ipv4) {
            for (final String part : text.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    throw new IllegalArgumentException("'" + text + "' is not an IPv4 address (" + part + " > 255)");
                }
            }
        }
        try {
            return InetAddress.getByName(text);
        } catch (final UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address");
        }
    }

    /** The default route's destination for a family: 0.0.0.0/0 or ::/0. */
    public static IpPrefix any(final int family) {
        final byte[] zero = new byte[family == AF_INET6 ? 16 : 4];
        try {
            return new IpPrefix(InetAddress.getByAddress(zero), 0);
        } catch (final UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public int family() {
        return family(address);
    }

    public static int family(final InetAddress address) {
        return address instanceof Inet6Address ? AF_INET6 : AF_INET;
    }

    /** True when no bit beyond the prefix length is set (what a route destination must be). */
    public boolean isNetwork() {
        final byte[] bytes = address.getAddress();
        for (int bit = length; bit < bytes.length * 8; bit++) {
            if ((bytes[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                return false;
            }
        }
        return true;
    }

    /** The prefix with the host bits cleared. */
    public IpPrefix network() {
        final byte[] bytes = address.getAddress();
        for (int bit = length; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return new IpPrefix(InetAddress.getByAddress(bytes), length);
        } catch (final UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code ip}'s spelling: compressed IPv6, no zone. */
    public static String format(final InetAddress address) {
        if (address instanceof Inet6Address) {
            return formatIpv6(address.getAddress());
        }
        return address.getHostAddress();
    }

    @Override
    public String toString() {
        return format(address) + "/" + length;
    }

    private static int bits(final InetAddress address) {
        return address instanceof Inet6Address ? 128 : 32;
    }

    /** RFC 5952 text: the longest run (at least two) of zero groups becomes "::", lower case. */
    private static String formatIpv6(final byte[] bytes) {
        final int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xFF) << 8) | (bytes[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        // IPv4-mapped addresses print their last 32 bits dotted, as inet_ntop does.
        if (bestStart == 0 && bestLength == 5 && groups[5] == 0xFFFF) {
            return "::ffff:" + (bytes[12] & 0xFF) + "." + (bytes[13] & 0xFF) + "." + (bytes[14] & 0xFF) + "."
                + (bytes[15] & 0xFF);
        }
        final StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof IpPrefix other && length == other.length
            && Arrays.equals(address.getAddress(), other.address.getAddress());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(address.getAddress()) * 31 + length;
    }
}

package dev.nsdp.control.kernel;

import dev.nsdp.dataplane.nativ.InterfaceRequest;

/** Checks of link names and MAC addresses before anything is sent to the kernel. */
public final class LinkNames {
    private LinkNames() {
    }

    /**
     * Returns {@code name} when the kernel would accept it as a link name (1..15 bytes, no '/', ':'
     * or whitespace, not "." or ".."), else throws IllegalArgumentException saying why.
     */
    public static String check(final String name) {
        if (name == null) {
            throw new IllegalArgumentException("a link name is missing");
        }
        try {
            InterfaceRequest.checkLinkName(name);
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + name + "' is not a valid link name: a name is 1.."
                + (InterfaceRequest.IFNAMSIZ - 1) + " bytes (IFNAMSIZ) without '/', ':' or whitespace", e);
        }
        if (name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("'" + name + "' is not a valid link name");
        }
        return name;
    }

    /** Parses "aa:bb:cc:dd:ee:ff" (hex, ':' separated, any case) into 6 bytes. */
    public static byte[] parseMac(final String text) {
        final String[] parts = text == null ? new String[0] : text.split(":", -1);
        if (parts.length != 6) {
            throw new IllegalArgumentException("'" + text + "' is not a MAC address (write e.g. 02:00:00:00:00:01)");
        }
        final byte[] mac = new byte[6];
        for (int i = 0; i < 6; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 2 || !parts[i].matches("[0-9A-Fa-f]+")) {
                throw new IllegalArgumentException("'" + text + "' is not a MAC address (write e.g. 02:00:00:00:00:01)");
            }
            mac[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return mac;
    }

    /** Lower-case hex bytes joined by ':' (how ip prints hardware addresses). */
    public static String formatHardwareAddress(final byte[] bytes) {
        final StringBuilder text = new StringBuilder(bytes.length * 3);
        for (int i = 0; i < bytes.length; i++) {
            if (i > 0) {
                text.append(':');
            }
            text.append(Character.forDigit((bytes[i] >> 4) & 0xF, 16)).append(Character.forDigit(bytes[i] & 0xF, 16));
        }
        return text.toString();
    }
}

package dev.nsdp.dataplane.namespace;

/**
 * What a namespace name, a device (port) name and a principal may look like. Namespace and device
 * names follow the kernel's device-name rule, tightened to a portable character set: 1..15
 * characters (IFNAMSIZ - 1, so any name also fits a kernel link name), only {@code A-Z a-z 0-9 _ . -},
 * and never "." or ".." (they would be path components in /sys/class/net and /run/netns). The
 * control module may therefore reuse a name verbatim for the kernel object it creates.
 */
public final class NameRules {
    public static final int MAX_NAME_LENGTH = 15;

    private NameRules() {
    }

    /** Whether {@code name} is a valid namespace or device name. */
    public static boolean isValidName(final String name) {
        return problemWithName(name) == null;
    }

    /** Throws INVALID, saying what is wrong, unless {@code name} is a valid name for {@code what}. */
    public static void checkName(final String name, final String what) {
        final String problem = problemWithName(name);
        if (problem != null) {
            throw new NamespaceException(NamespaceException.Kind.INVALID, what + " name " + problem
                + "; use 1.." + MAX_NAME_LENGTH + " characters from A-Z a-z 0-9 _ . - (not \".\" or \"..\")");
        }
    }

    /** A principal (owner or caller name): 1..64 visible characters, no spaces. */
    public static void checkPrincipal(final String principal, final String what) {
        if (principal == null || principal.isEmpty()) {
            throw new NamespaceException(NamespaceException.Kind.INVALID, what + " principal is missing; give a name such as 'alice'");
        }
        if (principal.length() > Caller.MAX_PRINCIPAL_LENGTH) {
            throw new NamespaceException(NamespaceException.Kind.INVALID, what + " principal is " + principal.length()
                + " characters long; at most " + Caller.MAX_PRINCIPAL_LENGTH + " are allowed");
        }
        for (int i = 0; i < principal.length(); i++) {
            final char c = principal.charAt(i);
            if (c <= ' ' || c == 0x7F) {
                throw new NamespaceException(NamespaceException.Kind.INVALID, what + " principal '" + printable(principal)
                    + "' contains a space or control character at position " + i + "; principals are single words");
            }
        }
    }

    private static String problemWithName(final String name) {
        if (name == null || name.isEmpty()) {
            return "is empty";
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return "'" + printable(name) + "' is " + name.length() + " characters long, at most " + MAX_NAME_LENGTH + " are allowed";
        }
        if (name.equals(".") || name.equals("..")) {
            return "'" + name + "' is reserved";
        }
        for (int i = 0; i < name.length(); i++) {
            final char c = name.charAt(i);
            final boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '.' || c == '-';
            if (!ok) {
                return "'" + printable(name) + "' has the character '" + printable(String.valueOf(c)) + "' at position " + i
                    + ", which is not allowed";
            }
        }
        return null;
    }

    /** Control characters shown as \\uXXXX so an error message never carries them to a terminal. */
    static String printable(final String text) {
        final StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c < ' ' || c == 0x7F) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}

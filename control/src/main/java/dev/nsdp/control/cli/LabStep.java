package dev.nsdp.control.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of a {@link LabFile}, understood well enough to check whether it is already in place
 * and to undo it: the kernel namespace it acts in ({@code -n}), the words of the command, and
 * what kind of object it makes or sets.
 *
 * @param line      its line number in the file
 * @param kernelNs  the {@code -n} kernel namespace of a kernel line, or null
 * @param words     the command's words after {@code -n KNS} (for dataplane lines, starting with {@code dp})
 * @param kind      what the line does
 * @param name      the object it names (namespace, link, port ...)
 * @param dpNs      a dataplane line's {@code -n} namespace (root if absent)
 */
record LabStep(int line, String kernelNs, List<String> words, Kind kind, String name, String dpNs) {

    enum Kind {
        NETNS_ADD, LINK_ADD, TUNTAP_ADD, LINK_SET, ADDR_ADD, ROUTE_ADD, DP_NS_ADD, DP_PORT_ADD, DP_PORT_SET
    }

    static final String KNOWN = "netns add, link add, tuntap add, link set, addr add, route add, dp ns add,"
        + " dp port add, dp port set";

    static LabStep of(final int line, final List<String> all) {
        List<String> words = all;
        String kernelNs = null;
        if (words.size() >= 2 && (words.get(0).equals("-n") || words.get(0).equals("-netns"))) {
            kernelNs = words.get(1);
            words = words.subList(2, words.size());
        }
        if (words.size() < 2) {
            throw new IllegalArgumentException("'" + String.join(" ", all) + "' is not a command; a lab line is an"
                + " `nsdp` command: " + KNOWN);
        }
        final String object = words.get(0);
        final String verb = words.get(1);
        if (object.equals("dp")) {
            if (kernelNs != null) {
                throw new IllegalArgumentException("dataplane lines take -n after 'dp' (dp -n NS ...), not before");
            }
            return dataplane(line, words);
        }
        final Kind kind = switch (object + " " + verb) {
            case "netns add" -> Kind.NETNS_ADD;
            case "link add" -> Kind.LINK_ADD;
            case "tuntap add" -> Kind.TUNTAP_ADD;
            case "link set" -> Kind.LINK_SET;
            case "addr add", "address add" -> Kind.ADDR_ADD;
            case "route add" -> Kind.ROUTE_ADD;
            default -> throw new IllegalArgumentException("'" + object + " " + verb + "' cannot be checked by apply;"
                + " a lab file may use: " + KNOWN);
        };
        final String name = switch (kind) {
            case NETNS_ADD -> words.size() > 2 ? words.get(2) : null;
            case LINK_ADD -> words.size() > 2 && (words.get(2).equals("link") || words.get(2).equals("name"))
                ? after(words, "name", null) : words.size() > 2 ? words.get(2) : null;
            case TUNTAP_ADD, LINK_SET, ADDR_ADD -> after(words, "dev", words.size() > 2 ? words.get(2) : null);
            case ROUTE_ADD -> words.size() > 2 ? words.get(2) : null;
            default -> null;
        };
        if (name == null || (kind == Kind.LINK_SET && !words.contains("dev") && words.size() < 4)) {
            throw new IllegalArgumentException("'" + String.join(" ", words) + "': the object it names is missing");
        }
        return new LabStep(line, kernelNs, List.copyOf(words), kind, name, null);
    }

    private static LabStep dataplane(final int line, final List<String> words) {
        int i = 1;
        String dpNs = null;
        final List<String> rest = new ArrayList<>();
        while (i < words.size() && words.get(i).startsWith("-")) {
            if ((words.get(i).equals("-n") || words.get(i).equals("-netns")) && i + 1 < words.size()) {
                dpNs = words.get(i + 1);
                i += 2;
            } else {
                throw new IllegalArgumentException("option '" + words.get(i) + "' does not belong in a lab file"
                    + " (the socket is given to apply/destroy with -s)");
            }
        }
        rest.addAll(words.subList(i, words.size()));
        if (rest.size() < 3) {
            throw new IllegalArgumentException("'" + String.join(" ", words) + "' is incomplete");
        }
        final Kind kind = switch (rest.get(0) + " " + rest.get(1)) {
            case "ns add", "namespace add" -> Kind.DP_NS_ADD;
            case "port add" -> Kind.DP_PORT_ADD;
            case "port set" -> Kind.DP_PORT_SET;
            default -> throw new IllegalArgumentException("'dp " + rest.get(0) + " " + rest.get(1)
                + "' cannot be checked by apply; a lab file may use: " + KNOWN);
        };
        return new LabStep(line, null, List.copyOf(words), kind, rest.get(2), dpNs == null ? "root" : dpNs);
    }

    private static String after(final List<String> words, final String keyword, final String otherwise) {
        final int at = words.indexOf(keyword);
        return at >= 0 && at + 1 < words.size() ? words.get(at + 1) : otherwise;
    }

    /** The value after {@code keyword} in this line, or null. */
    String valueOf(final String keyword) {
        return after(words, keyword, null);
    }

    /** The command as it would be typed, for the plan. */
    String text() {
        return (kernelNs == null ? "" : "-n " + kernelNs + " ") + String.join(" ", words);
    }
}

package dev.nsdp.control.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * How {@code nsdp dp ... show} prints the daemon's results. Text lines use the command line's own
 * words ({@code port eth0 vid 100 netns blue}), as ip's output reads like its input; {@code -j}
 * prints the daemon's JSON: the list itself for a list (as {@code ip -j} prints an array), the
 * object for one thing. Shapes are those of docs/control-api.md.
 */
final class DpFormat {
    private DpFormat() {
    }

    static final DpRequest.Printer NAMESPACES = (result, options, out) -> {
        final List<Object> namespaces = list(result, "namespaces");
        if (options.json()) {
            out.println(Json.write(namespaces, options.pretty()));
            return;
        }
        for (final Object namespace : namespaces) {
            namespace(map(namespace), out);
        }
    };

    static final DpRequest.Printer NAMESPACE = (result, options, out) -> {
        if (options.json()) {
            out.println(Json.write(result, options.pretty()));
            return;
        }
        final Map<String, Object> namespace = map(result);
        namespace(namespace, out);
        for (final Object device : list(namespace, "devices")) {
            out.println("    " + device(map(device)));
        }
        for (final Object vlan : list(namespace, "vlans")) {
            out.println("    " + vlan(map(vlan)));
        }
        for (final Object mac : list(namespace, "macs")) {
            out.println("    " + mac(map(mac)));
        }
    };

    static final DpRequest.Printer PORT_LIST = listPrinter("devices", DpFormat::device);
    static final DpRequest.Printer VLAN_LIST = listPrinter("vlans", DpFormat::vlan);
    static final DpRequest.Printer MAC_LIST = listPrinter("macs", DpFormat::mac);

    /** An export document is JSON whatever the options: it is what {@code ns import} reads. */
    static final DpRequest.Printer DOCUMENT = (result, options, out) -> out.println(Json.write(result, options.pretty()));

    static final DpRequest.Printer STATUS = (result, options, out) -> {
        if (options.json()) {
            out.println(Json.write(result, options.pretty()));
            return;
        }
        final Map<String, Object> status = map(result);
        out.println("caller " + status.get("caller") + (Boolean.TRUE.equals(status.get("admin")) ? " (administrator)" : ""));
        out.println("changes " + (Boolean.TRUE.equals(status.get("acceptingChanges")) ? "accepted"
            : "refused: " + status.get("reason")));
        out.println("namespaces " + status.get("namespaces") + " ports " + status.get("ports")
            + " missing-ports " + status.get("missingPorts"));
        final Object journal = status.get("journal");
        if (journal == null) {
            out.println("journal none (changes are not kept across restarts)");
        } else {
            final Map<String, Object> j = map(journal);
            out.println("journal " + j.get("directory") + " format " + j.get("format") + " last-seq " + j.get("lastSeq")
                + " replayed " + j.get("replayed") + " skipped " + j.get("skippedOnReplay"));
        }
    };

    /** {@code 1: red level L2 parent root owner alice} and its settings on the next line. */
    private static void namespace(final Map<String, Object> ns, final PrintStream out) {
        final StringBuilder line = new StringBuilder();
        line.append(ns.get("id")).append(": ").append(ns.get("name")).append(" level ").append(ns.get("level"));
        if (ns.get("parent") != null) {
            line.append(" parent ").append(ns.get("parent"));
        }
        line.append(" owner ").append(ns.get("owner"));
        out.println(line);
        final StringBuilder settings = new StringBuilder("   ");
        for (final Map.Entry<String, Object> setting : map(ns.get("settings")).entrySet()) {
            settings.append(' ').append(setting.getKey()).append(' ').append(onOff(setting.getValue()));
        }
        out.println(settings);
        final StringBuilder members = new StringBuilder("    lo ").append(Boolean.TRUE.equals(ns.get("loopbackUp")) ? "up" : "down");
        final List<Object> ports = list(ns, "ports");
        if (!ports.isEmpty()) {
            members.append(" ports");
            ports.forEach(p -> members.append(' ').append(p));
        }
        final List<Object> children = list(ns, "children");
        if (!children.isEmpty()) {
            members.append(" children");
            children.forEach(c -> members.append(' ').append(c));
        }
        out.println(members);
    }

    /** {@code lo: <LOOPBACK> state DOWN}, {@code eth0: index 0 state UP kind afpacket link veth-red netns lab}. */
    static String device(final Map<String, Object> port) {
        final StringBuilder line = new StringBuilder().append(port.get("name")).append(':');
        if (Boolean.TRUE.equals(port.get("loopback"))) {
            line.append(" <LOOPBACK>");
        } else {
            line.append(" index ").append(port.get("index"));
        }
        line.append(" state ").append(Boolean.TRUE.equals(port.get("up")) ? "UP" : "DOWN");
        if (port.get("kind") != null) {
            line.append(" type ").append(port.get("kind")).append(" link ").append(port.get("link"));
        }
        if (port.get("netns") != null) {
            line.append(" netns ").append(port.get("netns"));
        }
        if (Boolean.TRUE.equals(port.get("missing"))) {
            line.append(" missing");
        }
        return line.toString();
    }

    static String vlan(final Map<String, Object> vlan) {
        return "port " + vlan.get("port") + " vid " + vlan.get("vlan") + " netns " + vlan.get("to");
    }

    static String mac(final Map<String, Object> mac) {
        return mac.get("mac") + " port " + mac.get("port") + " static";
    }

    private interface Line {
        String of(Map<String, Object> item);
    }

    private static DpRequest.Printer listPrinter(final String key, final Line line) {
        return (result, options, out) -> {
            final List<Object> items = list(result, key);
            if (options.json()) {
                out.println(Json.write(items, options.pretty()));
                return;
            }
            for (final Object item : items) {
                out.println(line.of(map(item)));
            }
        };
    }

    private static Object onOff(final Object value) {
        return value instanceof Boolean b ? (b ? "on" : "off") : value;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(final Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(final Object value, final String key) {
        final Object list = map(value).get(key);
        return list instanceof List<?> l ? (List<Object>) l : List.of();
    }
}

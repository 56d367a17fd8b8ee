package dev.nsdp.dataplane.forwarder;

import dev.nsdp.dataplane.Dataplane;
import dev.nsdp.dataplane.codec.MacAddress;
import dev.nsdp.dataplane.forwarder.ConfigException.Problem;
import dev.nsdp.dataplane.forwarder.ConfigStatement.PortKind;
import dev.nsdp.dataplane.namespace.Level;
import dev.nsdp.dataplane.nativ.KernelNamespace;
import dev.nsdp.dataplane.port.PacketSocketOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the line-oriented configuration (grammar in {@link ForwarderConfig}) into statements. This
 * is the syntax step: keywords, argument counts, numbers and their ranges, MAC syntax. It collects
 * every problem in the file rather than stopping at the first; the namespace model's own rules
 * (names, levels, VLAN and MAC rules) are checked afterwards by {@link ConfigApplier}'s dry run.
 */
final class ConfigParser {
    private static final String AFPACKET_OPTIONS = "netns, up, rx-frames, tx-frames, frame-size, qdisc-bypass";
    private static final String TAP_OPTIONS = "name, netns, up";

    private final List<Problem> problems = new ArrayList<>();
    private final List<ConfigStatement> statements = new ArrayList<>();
    private Integer poolBuffers;
    private Integer macTableEntries;
    private int dataplaneLine;

    /** The parsed file: statements in file order, the dataplane sizing, and every problem found. */
    record Result(List<ConfigStatement> statements, Dataplane.Config dataplane, List<Problem> problems) {
    }

    static Result parse(final List<String> lines) {
        final ConfigParser parser = new ConfigParser();
        for (int i = 0; i < lines.size(); i++) {
            parser.parseLine(i + 1, lines.get(i));
        }
        return parser.result();
    }

    private Result result() {
        Dataplane.Config dataplane = Dataplane.Config.DEFAULTS;
        try {
            dataplane = new Dataplane.Config(
                poolBuffers == null ? Dataplane.Config.DEFAULTS.poolBuffers() : poolBuffers,
                macTableEntries == null ? Dataplane.Config.DEFAULTS.macTableEntries() : macTableEntries);
        } catch (final IllegalArgumentException e) {
            problems.add(new Problem(dataplaneLine, "dataplane: " + e.getMessage()));
        }
        return new Result(List.copyOf(statements), dataplane, List.copyOf(problems));
    }

    /** Words of a line, without its comment ('#' to the end of the line). */
    static List<String> words(final String line) {
        final int hash = line.indexOf('#');
        final String text = hash >= 0 ? line.substring(0, hash) : line;
        final List<String> words = new ArrayList<>();
        for (final String word : text.trim().split("\\s+")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words;
    }

    private void parseLine(final int line, final String text) {
        final List<String> w = words(text);
        if (w.isEmpty()) {
            return;
        }
        try {
            switch (w.getFirst()) {
                case "namespace" -> namespace(line, w);
                case "port" -> port(line, w);
                case "vlan" -> vlan(line, w);
                case "mac" -> mac(line, w);
                case "set" -> set(line, w);
                case "dataplane" -> dataplane(line, w);
                default -> throw new LineError("unknown statement '" + printable(w.getFirst())
                    + "'; a line starts with namespace, port, vlan, mac, set or dataplane (or # for a comment)");
            }
        } catch (final LineError e) {
            problems.add(new Problem(line, e.getMessage()));
        }
    }

    // namespace NAME [level l2|l3] [owner PRINCIPAL]
    private void namespace(final int line, final List<String> w) {
        if (w.size() < 2) {
            throw new LineError("namespace needs a name: namespace NAME [level l2|l3] [owner PRINCIPAL]");
        }
        final String name = w.get(1);
        Level level = Level.L2;
        String owner = null;
        for (int i = 2; i < w.size(); i += 2) {
            final String key = w.get(i);
            final String value = valueOf(w, i, "namespace " + name);
            switch (key) {
                case "level" -> level = switch (value.toLowerCase(Locale.ROOT)) {
                    case "l2", "2" -> Level.L2;
                    case "l3", "3" -> Level.L3;
                    default -> throw new LineError("namespace " + name + ": level must be l2 (full) or l3 (restricted), got '"
                        + printable(value) + "'");
                };
                case "owner" -> owner = value;
                default -> throw new LineError("namespace " + name + ": unknown option '" + printable(key)
                    + "'; the options are level and owner");
            }
        }
        statements.add(new ConfigStatement.Namespace(line, name, level, owner));
    }

    // port NS NAME afpacket link LINK [netns K] [up] [rx-frames N] [tx-frames N] [frame-size N] [qdisc-bypass]
    // port NS NAME tap [name TAP] [netns K] [up]
    private void port(final int line, final List<String> w) {
        if (w.size() < 4) {
            throw new LineError("port needs a namespace, a name and a kind: port NAMESPACE NAME afpacket link LINK [options]"
                + " or port NAMESPACE NAME tap [name TAP] [options]");
        }
        final String namespace = w.get(1);
        final String name = w.get(2);
        final String what = "port " + namespace + "/" + name;
        final PortKind kind = switch (w.get(3)) {
            case "afpacket" -> PortKind.AFPACKET;
            case "tap" -> PortKind.TAP;
            default -> throw new LineError(what + ": unknown port kind '" + printable(w.get(3)) + "'; use afpacket or tap");
        };
        String link = kind == PortKind.TAP ? name : null;
        KernelNamespace kernelNamespace = KernelNamespace.current();
        boolean up = false;
        PacketSocketOptions options = kind == PortKind.AFPACKET ? PacketSocketOptions.defaults() : null;
        int rxFrames = -1;
        int txFrames = -1;
        int frameSize = -1;
        boolean bypass = false;
        for (int i = 4; i < w.size(); i++) {
            final String key = w.get(i);
            switch (key) {
                case "up" -> up = true;
                case "netns" -> kernelNamespace = kernelNamespace(valueOf(w, i++, what));
                case "link" -> {
                    requireKind(kind, PortKind.AFPACKET, what, key);
                    link = linkName(valueOf(w, i++, what), what);
                }
                case "name" -> {
                    requireKind(kind, PortKind.TAP, what, key);
                    link = linkName(valueOf(w, i++, what), what);
                }
                case "rx-frames" -> {
                    requireKind(kind, PortKind.AFPACKET, what, key);
                    rxFrames = number(valueOf(w, i++, what), what + ": rx-frames", 1, 1 << 24);
                }
                case "tx-frames" -> {
                    requireKind(kind, PortKind.AFPACKET, what, key);
                    txFrames = number(valueOf(w, i++, what), what + ": tx-frames", 1, 1 << 24);
                }
                case "frame-size" -> {
                    requireKind(kind, PortKind.AFPACKET, what, key);
                    frameSize = number(valueOf(w, i++, what), what + ": frame-size", 256, 65536);
                }
                case "qdisc-bypass" -> {
                    requireKind(kind, PortKind.AFPACKET, what, key);
                    bypass = true;
                }
                default -> throw new LineError(what + ": unknown option '" + printable(key) + "'; the options of "
                    + kind.keyword() + " are " + (kind == PortKind.AFPACKET ? AFPACKET_OPTIONS : TAP_OPTIONS));
            }
        }
        if (link == null) {
            throw new LineError(what + ": an afpacket port needs the kernel link it opens: link LINK (a veth, macvlan or NIC)");
        }
        if (options != null) {
            try {
                options = options.withNamespace(kernelNamespace).withQdiscBypass(bypass);
                if (frameSize > 0) {
                    options = options.withFrameSize(frameSize);
                }
                if (rxFrames > 0) {
                    options = options.withRxFrames(rxFrames);
                }
                if (txFrames > 0) {
                    options = options.withTxFrames(txFrames);
                }
            } catch (final IllegalArgumentException e) {
                throw new LineError(what + ": " + ringMessage(e.getMessage()));
            }
        }
        statements.add(new ConfigStatement.Port(line, namespace, name, kind, link, kernelNamespace, up, options));
    }

    // vlan NAMESPACE PORT VID TARGET
    private void vlan(final int line, final List<String> w) {
        if (w.size() != 5) {
            throw new LineError("vlan takes four arguments: vlan NAMESPACE PORT VID TARGET-NAMESPACE"
                + " (tagged frames of VID on trunk PORT belong to TARGET-NAMESPACE)");
        }
        final int vid = number(w.get(3), "vlan " + w.get(1) + "/" + w.get(2) + ": VLAN id", 1, 4094);
        statements.add(new ConfigStatement.Vlan(line, w.get(1), w.get(2), vid, w.get(4)));
    }

    // mac NAMESPACE MAC port PORT
    private void mac(final int line, final List<String> w) {
        if (w.size() != 5 || !w.get(3).equals("port")) {
            throw new LineError("mac takes a namespace, a MAC and a port: mac NAMESPACE 02:00:00:00:00:01 port PORT");
        }
        final long mac;
        try {
            mac = MacAddress.parse(w.get(2));
        } catch (final RuntimeException e) {
            throw new LineError("mac " + w.get(1) + ": '" + printable(w.get(2))
                + "' is not a MAC address; write six hex pairs separated by ':' (02:00:00:00:00:01)");
        }
        statements.add(new ConfigStatement.StaticMac(line, w.get(1), mac, w.get(4)));
    }

    // set NAMESPACE SETTING VALUE
    private void set(final int line, final List<String> w) {
        if (w.size() != 4) {
            throw new LineError("set takes a namespace, a setting and a value: set NAMESPACE mac-aging 300");
        }
        statements.add(new ConfigStatement.Setting(line, w.get(1), w.get(2), w.get(3)));
    }

    // dataplane [pool-buffers N] [mac-table-entries N]
    private void dataplane(final int line, final List<String> w) {
        if (dataplaneLine != 0) {
            throw new LineError("dataplane is already set on line " + dataplaneLine + "; give it once");
        }
        dataplaneLine = line;
        if (w.size() < 3) {
            throw new LineError("dataplane needs a setting: dataplane [pool-buffers N] [mac-table-entries N]");
        }
        for (int i = 1; i < w.size(); i += 2) {
            final String key = w.get(i);
            final String value = valueOf(w, i, "dataplane");
            switch (key) {
                case "pool-buffers" -> poolBuffers = number(value, "dataplane: pool-buffers", 1024, 1 << 24);
                case "mac-table-entries" -> macTableEntries = number(value, "dataplane: mac-table-entries", 1024, 1 << 28);
                default -> throw new LineError("dataplane: unknown setting '" + printable(key)
                    + "'; the settings are pool-buffers and mac-table-entries");
            }
        }
    }

    private static void requireKind(final PortKind kind, final PortKind wanted, final String what, final String key) {
        if (kind != wanted) {
            throw new LineError(what + ": '" + key + "' is an option of " + wanted.keyword() + " ports, not of "
                + kind.keyword() + " ports; the options of " + kind.keyword() + " are "
                + (kind == PortKind.AFPACKET ? AFPACKET_OPTIONS : TAP_OPTIONS));
        }
    }

    private static String valueOf(final List<String> w, final int keyIndex, final String what) {
        if (keyIndex + 1 >= w.size()) {
            throw new LineError(what + ": '" + printable(w.get(keyIndex)) + "' needs a value after it");
        }
        return w.get(keyIndex + 1);
    }

    private static int number(final String text, final String what, final int min, final int max) {
        final int value;
        try {
            value = Integer.parseInt(text);
        } catch (final NumberFormatException e) {
            throw new LineError(what + " must be a decimal number, got '" + printable(text) + "'");
        }
        if (value < min || value > max) {
            throw new LineError(what + " must be " + min + ".." + max + ", got " + value);
        }
        return value;
    }

    private static String linkName(final String name, final String what) {
        final byte[] bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (bytes.length > 15) {
            throw new LineError(what + ": kernel link name '" + printable(name) + "' is " + bytes.length
                + " bytes long; Linux allows at most 15");
        }
        for (final byte b : bytes) {
            if (b == '/' || b == ':' || b <= ' ') {
                throw new LineError(what + ": '" + printable(name) + "' is not a kernel link name (no '/', ':' or spaces)");
            }
        }
        return name;
    }

    /** A name under /run/netns (as `ip netns add` makes), or an absolute path such as /proc/PID/ns/net. */
    private static KernelNamespace kernelNamespace(final String text) {
        if (text.startsWith("/")) {
            return KernelNamespace.at(Path.of(text));
        }
        if (text.contains("/") || text.equals(".") || text.equals("..")) {
            throw new LineError("netns '" + printable(text) + "' is neither a name from `ip netns list` nor an absolute path"
                + " (/proc/PID/ns/net)");
        }
        return KernelNamespace.named(text);
    }

    /** PacketSocketOptions names its fields; the user knows the configuration's keywords. */
    private static String ringMessage(final String message) {
        return message.replace("frameSize", "frame-size").replace("rxFrames", "rx-frames").replace("txFrames", "tx-frames");
    }

    static String printable(final String text) {
        final StringBuilder s = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            s.append(c < ' ' || c == 0x7F ? '?' : c);
        }
        return s.toString();
    }

    /** A problem with the line being parsed; caught per line, so parsing goes on with the next one. */
    private static final class LineError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LineError(final String message) {
            super(message, null, false, false);
        }
    }
}

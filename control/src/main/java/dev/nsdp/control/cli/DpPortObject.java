package dev.nsdp.control.cli;

import dev.nsdp.control.model.ControlException;
import dev.nsdp.control.model.PortKind;
import dev.nsdp.control.model.PortSpec;
import dev.nsdp.control.model.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code nsdp dp [-n NS] port ...}: the devices of a dataplane namespace and the kernel links they attach. */
final class DpPortObject implements DpObject {
    static final String USAGE = """
        Usage: nsdp dp [-n NS] port add NAME type afpacket link LINK [netns KNS]
               nsdp dp [-n NS] port add NAME type tap dev TAP [netns KNS]
               nsdp dp [-n NS] port add NAME type memory link MEMLINK
               nsdp dp [-n NS] port del NAME
               nsdp dp [-n NS] port set NAME { up | down }
               nsdp dp [-n NS] port set NAME netns NS2 [name NEW]
               nsdp dp [-n NS] port show [NAME]
        add: attach kernel link LINK (a veth, macvlan ...; in kernel namespace KNS, a name from
        `nsdp netns list`, if given) over AF_PACKET, or the TAP device TAP (created if missing), or an
        in-process memory link, to dataplane namespace NS as port NAME (down until `set NAME up`).
        `link` and `dev` mean the same. set netns: move the port to dataplane namespace NS2 (the
        administrator's privilege), renamed NEW if given. `port set lo up` sets the loopback up.""";

    private static final List<String> COMMANDS = List.of("add", "delete", "set", "show", "list");
    private static final List<String> KINDS = List.of("afpacket", "tap", "memory");

    @Override
    public String name() {
        return "port";
    }

    @Override
    public String summary() {
        return "ports of a dataplane namespace: add, del, set up|down|netns, show";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public Action parse(final Arguments args, final DpOptions options) {
        if (!args.hasNext()) {
            return show(null, options);
        }
        final String word = args.next();
        if (Arguments.isHelp(word)) {
            return Help.of(USAGE);
        }
        final String ns = options.namespace();
        return switch (DpWords.keyword(word, COMMANDS, "nsdp dp port", USAGE)) {
            case "add" -> add(args, options);
            case "delete" -> {
                final String name = DpWords.name(args, "port del", "port");
                DpWords.end(args, "port del " + name);
                yield new DpRequest("port del " + name, new Request.DeletePort(ns, name), options, DpRequest.SILENT);
            }
            case "set" -> set(args, options);
            default -> {
                final String name = args.hasNext() ? DpWords.name(args, "port show", "port") : null;
                DpWords.end(args, "port show" + (name == null ? "" : " " + name));
                yield show(name, options);
            }
        };
    }

    private static Action add(final Arguments args, final DpOptions options) {
        final String name = DpWords.name(args, "port add", "port");
        final String where = "port add " + name;
        String kind = null;
        String link = null;
        String netns = null;
        final List<String> keywords = List.of("type", "link", "dev", "netns");
        while (args.hasNext()) {
            switch (DpWords.keyword(args.next(), keywords, where, USAGE)) {
                case "type" -> kind = DpWords.keyword(args.valueOf("type"), KINDS, where + " type", USAGE);
                case "link", "dev" -> link = DpWords.checkName(args.valueOf("link"), "link", USAGE);
                default -> netns = DpWords.checkName(args.valueOf("netns"), "kernel network namespace", USAGE);
            }
        }
        if (kind == null) {
            throw new UsageException("`" + where + "` needs a type: afpacket, tap or memory", USAGE);
        }
        if (link == null) {
            throw new UsageException("`" + where + " type " + kind + "` needs " + (kind.equals("tap") ? "dev TAP" : "link LINK"), USAGE);
        }
        final PortSpec spec;
        try {
            spec = new PortSpec(PortKind.fromWireName(kind), link, netns);
        } catch (final ControlException e) {
            throw new UsageException(e.error().message(), USAGE);
        }
        return new DpRequest(where, new Request.AddPort(options.namespace(), name, spec), options, DpRequest.SILENT);
    }

    private static Action set(final Arguments args, final DpOptions options) {
        final String name = DpWords.name(args, "port set", "port");
        final String where = "port set " + name;
        if (!args.hasNext()) {
            throw new UsageException("`" + where + "` needs up, down or netns NS", USAGE);
        }
        final String change = DpWords.keyword(args.next(), List.of("up", "down", "netns"), where, USAGE);
        if (!change.equals("netns")) {
            DpWords.end(args, where + " " + change);
            return new DpRequest(where + " " + change, new Request.SetPortUp(options.namespace(), name, change.equals("up")),
                options, DpRequest.SILENT);
        }
        final String to = DpWords.checkName(args.valueOf("netns"), "dataplane namespace", USAGE);
        String newName = null;
        while (args.hasNext()) {
            DpWords.keyword(args.next(), List.of("name"), where + " netns " + to, USAGE);
            newName = DpWords.checkName(args.valueOf("name"), "port", USAGE);
        }
        return new DpRequest(where + " netns " + to, new Request.MovePort(options.namespace(), name, to, newName),
            options, DpRequest.SILENT);
    }

    private static Action show(final String only, final DpOptions options) {
        final DpRequest.Printer printer = only == null ? DpFormat.PORT_LIST : (result, o, out) -> {
            final List<Object> kept = new ArrayList<>();
            for (final Object device : DpFormat.list(result, "devices")) {
                if (only.equals(DpFormat.map(device).get("name"))) {
                    kept.add(device);
                }
            }
            if (kept.isEmpty()) {
                throw new IllegalStateException("there is no port '" + only + "' in dataplane namespace '" + o.namespace()
                    + "'; `" + o.commandPrefix() + "port show` lists them");
            }
            DpFormat.PORT_LIST.print(Map.of("devices", kept), o, out);
        };
        return new DpRequest("port show", new Request.ListPorts(options.namespace()), options, printer);
    }
}

package dev.nsdp.control.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * {@code nsdp dp ...}: the dataplane's own objects, configured through the nsdp daemon's control
 * API (docs/control-api.md) with {@link dev.nsdp.control.api.ControlClient}. One grammar in ip's
 * spirit: {@code nsdp dp [-n NS] OBJECT add|del|set|show ...}, {@code -n} naming the dataplane
 * namespace as {@code ip -n} names a kernel one. The objects are a table ({@link DpObject}); the
 * L3 ones to come are more entries.
 */
final class DpCommand implements ObjectCommand {
    private static final String HEADER = """
        Usage: nsdp dp [DP-OPTIONS] OBJECT { COMMAND | help }
        DP-OPTIONS := -n NS | -netns NS        act in dataplane namespace NS (default root)
                      -s PATH | -socket PATH   the daemon's control socket (default: $NSDP_SOCKET,
                                               else /run/nsdp/nsdp.sock)
                      -j | -json               JSON output (the daemon's own shapes, docs/control-api.md)
                      -p | -pretty             indented JSON
        A dataplane namespace is one of nsdp's isolated forwarding contexts, inside the daemon; it is not
        a kernel network namespace (those are `nsdp netns`). Ports attach kernel links to it.
        Exit status: 0 success, 1 refused by the daemon (its reason is printed) or daemon not reachable,
        2 wrong command line (nothing was sent).
        """;

    private final List<DpObject> objects = new ArrayList<>();
    private final UnaryOperator<String> environment;

    /** @param environment reads an environment variable ({@code System::getenv}; tests pass their own) */
    DpCommand(final UnaryOperator<String> environment) {
        this.environment = environment;
        objects.add(new DpNamespaceObject());
        objects.add(new DpPortObject());
        objects.add(new DpVlanObject());
        objects.add(new DpMacObject());
        objects.add(new DpStatusObject());
        objects.add(new DpStatsObject());
    }

    @Override
    public String name() {
        return "dp";
    }

    @Override
    public String summary() {
        return "the dataplane's namespaces, ports, VLANs, MACs, counters (through the nsdp daemon)";
    }

    /** The options and the objects: what a wrong command line is answered with. */
    @Override
    public String usage() {
        final StringBuilder text = new StringBuilder(HEADER).append("OBJECT := {");
        for (int k = 0; k < objects.size(); k++) {
            text.append(k == 0 ? " " : " | ").append(objects.get(k).name());
        }
        text.append(" }\n");
        for (final DpObject object : objects) {
            final String aliases = object.aliases().isEmpty() ? "" : " (also: " + String.join(", ", object.aliases()) + ")";
            text.append(String.format("    %-8s %s%n", object.name(), object.summary() + aliases));
        }
        text.append("`nsdp dp help` shows the whole grammar, `nsdp dp OBJECT help` one object's commands.");
        return text.toString();
    }

    /** {@code nsdp dp help}: the options, the objects and every object's commands. */
    String fullUsage() {
        final StringBuilder text = new StringBuilder(usage());
        for (final DpObject object : objects) {
            text.append("\n\n").append(object.usage());
        }
        return text.toString();
    }

    @Override
    public Action parse(final Arguments args, final CliContext context) {
        args.usage(usage());
        if (context.namespaceName != null) {
            throw new UsageException("-n before `dp` names a kernel network namespace; the dataplane namespace goes after"
                + " `dp`: nsdp dp -n " + context.namespaceName + " ...", null);
        }
        String namespace = DpOptions.ROOT;
        String socket = null;
        boolean json = context.json;
        boolean pretty = context.pretty;
        while (args.hasNext() && args.peek().startsWith("-") && args.peek().length() > 1 && !args.helpRequested()) {
            final String typed = args.next();
            final String option = typed.startsWith("--") ? typed.substring(1) : typed;
            if (Arguments.matches(option, "-netns") && option.length() >= 2) {
                namespace = DpWords.checkName(args.valueOf(typed), "dataplane namespace", usage());
            } else if (Arguments.matches(option, "-socket") && option.length() >= 2) {
                socket = args.valueOf(typed);
            } else if (Arguments.matches(option, "-json") && option.length() >= 2) {
                json = true;
            } else if (Arguments.matches(option, "-pretty") && option.length() >= 2) {
                pretty = true;
            } else {
                throw new UsageException("dp option '" + typed + "' is unknown; the options are -n NS, -s PATH, -j, -p", usage());
            }
        }
        if (!args.hasNext()) {
            throw new UsageException("`nsdp dp` needs an OBJECT: " + names(), usage());
        }
        final String word = args.next();
        if (Arguments.isHelp(word)) {
            return Help.of(fullUsage());
        }
        final DpObject object = find(word);
        if (object == null) {
            throw new UsageException("unknown dataplane object '" + word + "'; the objects are: " + names(), usage());
        }
        final DpOptions options = new DpOptions(namespace,
            DpSocket.choose(socket, environment.apply(DpSocket.ENVIRONMENT)), json, pretty);
        return object.parse(args.usage(object.usage()), options);
    }

    /** The object {@code word} selects: the first whose name or an alias starts with it. */
    DpObject find(final String word) {
        for (final DpObject object : objects) {
            if (Arguments.matches(word, object.name())) {
                return object;
            }
            for (final String alias : object.aliases()) {
                if (Arguments.matches(word, alias)) {
                    return object;
                }
            }
        }
        return null;
    }

    private String names() {
        final List<String> names = new ArrayList<>();
        for (final DpObject object : objects) {
            names.add(object.name());
        }
        return String.join(", ", names);
    }
}

package dev.nsdp.control.cli;

import dev.nsdp.control.kernel.BulkResult;
import dev.nsdp.control.kernel.NamedNamespaces;
import dev.nsdp.control.kernel.NetnsExec;
import dev.nsdp.control.kernel.RtNetlink;
import dev.nsdp.dataplane.nativ.KernelNamespace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code nsdp netns ...}: named kernel network namespaces, shared with iproute2 (/run/netns). */
final class NetnsCommand implements ObjectCommand {
    static final String USAGE = """
        Usage: nsdp netns add NAME
               nsdp netns del NAME
               nsdp netns list
               nsdp netns exec NAME COMMAND [ARGS...]
        Namespaces are pinned in /run/netns as iproute2 pins them: `ip netns list` and `ip -n NAME ...` see
        nsdp's, and nsdp sees ip's. `netns exec` runs COMMAND with only its network namespace changed (no
        private /sys remount, no /etc/netns/NAME files, unlike `ip netns exec`): tools that use netlink or
        sockets behave the same; for tools that read /sys/class/net use
        `nsenter --net=/run/netns/NAME --mount COMMAND` or `ip netns exec`. Its exit status is COMMAND's
        (127 when COMMAND cannot be started).""";

    @Override
    public String name() {
        return "netns";
    }

    @Override
    public String summary() {
        return "named kernel network namespaces (shared with ip netns)";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public Action parse(final Arguments args, final CliContext context) {
        args.usage(USAGE);
        if (!args.hasNext()) {
            return new ListAll();
        }
        final String command = args.next();
        if (Arguments.isHelp(command)) {
            return Help.of(USAGE);
        }
        if (Arguments.matches(command, "add")) {
            return new Add(NamedNamespaces.checkName(single(args, "add")));
        }
        if (Arguments.matches(command, "delete")) {
            return new Delete(NamedNamespaces.checkName(single(args, "del")));
        }
        if (Arguments.matches(command, "list") || Arguments.matches(command, "show") || command.equals("lst")) {
            if (args.hasNext()) {
                if (args.helpRequested()) {
                    return Help.of(USAGE);
                }
                throw args.unknown(args.next(), "netns list option");
            }
            return new ListAll();
        }
        if (Arguments.matches(command, "exec")) {
            if (!args.hasNext()) {
                throw new UsageException("netns exec needs a NAME and a COMMAND", USAGE);
            }
            final String name = NamedNamespaces.checkName(args.next());
            final List<String> commandLine = args.rest();
            if (commandLine.isEmpty()) {
                throw new UsageException("netns exec " + name + " needs a COMMAND to run", USAGE);
            }
            return new Exec(name, List.copyOf(commandLine));
        }
        throw args.unknown(command, "netns command (add, del, list, exec)");
    }

    private static String single(final Arguments args, final String command) {
        if (!args.hasNext()) {
            throw new UsageException("netns " + command + " needs a NAME", USAGE);
        }
        final String name = args.next();
        if (Arguments.isHelp(name)) {
            throw new UsageException("usage of netns " + command, USAGE);
        }
        if (args.hasNext()) {
            throw args.unknown(args.next(), "word after the namespace name");
        }
        return name;
    }

    private static int threads() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    record Add(String name) implements BulkAction {
        @Override
        public int run(final CliContext context) {
            NamedNamespaces.add(name);
            return 0;
        }

        @Override
        public String bulkKey() {
            return "netns add";
        }

        @Override
        public BulkResult runAll(final CliContext context, final List<BulkAction> run) {
            final List<String> names = new ArrayList<>(run.size());
            for (final BulkAction action : run) {
                names.add(((Add) action).name);
            }
            return NamedNamespaces.addAll(names, threads());
        }
    }

    record Delete(String name) implements BulkAction {
        @Override
        public int run(final CliContext context) {
            NamedNamespaces.delete(name);
            return 0;
        }

        @Override
        public String bulkKey() {
            return "netns del";
        }

        @Override
        public BulkResult runAll(final CliContext context, final List<BulkAction> run) {
            final List<String> names = new ArrayList<>(run.size());
            for (final BulkAction action : run) {
                names.add(((Delete) action).name);
            }
            return NamedNamespaces.deleteAll(names, threads());
        }
    }

    record ListAll() implements Action {
        @Override
        public int run(final CliContext context) {
            final List<String> names = NamedNamespaces.list();
            // Ids as the caller's namespace knows them (ip asks the same way, RTM_GETNSID).
            final List<Object> json = new ArrayList<>();
            try (RtNetlink here = RtNetlink.open()) {
                for (final String name : names) {
                    int id = -1;
                    try {
                        id = here.namespaceId(KernelNamespace.named(name));
                    } catch (final RuntimeException e) {
                        // a file in /run/netns that is not (or no longer) a namespace: listed without id, as ip does
                    }
                    if (context.json) {
                        final Map<String, Object> entry = new LinkedHashMap<>();
                        entry.put("name", name);
                        if (id >= 0) {
                            entry.put("id", id);
                        }
                        json.add(entry);
                    } else {
                        context.out.println(id >= 0 ? name + " (id: " + id + ")" : name);
                    }
                }
            }
            if (context.json) {
                context.out.println(Json.write(json, context.pretty));
            }
            return 0;
        }
    }

    record Exec(String name, List<String> command) implements Action {
        @Override
        public int run(final CliContext context) {
            if (!NamedNamespaces.exists(name)) {
                throw new IllegalArgumentException("there is no network namespace '" + name
                    + "': create it with `nsdp netns add " + name + "`");
            }
            context.out.flush();
            try {
                return NetnsExec.run(KernelNamespace.named(name), command);
            } catch (final IllegalArgumentException e) {
                context.err.println("nsdp: " + e.getMessage());
                return 127;
            }
        }
    }
}

package dev.nsdp.control.cli;

import dev.nsdp.control.kernel.Link;
import dev.nsdp.control.kernel.LinkNames;
import dev.nsdp.control.kernel.TapDevices;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code nsdp tuntap ...}: persistent TAP/TUN devices for nsdp's TAP ports. */
final class TuntapCommand implements ObjectCommand {
    static final String USAGE = """
        Usage: nsdp [-n NS] tuntap add [dev] NAME mode { tap | tun } [multi_queue]
               nsdp [-n NS] tuntap del [dev] NAME mode { tap | tun }
               nsdp [-n NS] tuntap show
        The device persists until deleted; nsdp's TAP port (or any program) attaches to it by name.""";

    private static final int ARPHRD_NONE = 65534;

    @Override
    public String name() {
        return "tuntap";
    }

    @Override
    public String summary() {
        return "persistent TAP/TUN devices";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public Action parse(final Arguments args, final CliContext context) {
        args.usage(USAGE);
        if (!args.hasNext()) {
            return new Show();
        }
        final String command = args.next();
        if (Arguments.isHelp(command)) {
            return Help.of(USAGE);
        }
        if (Arguments.matches(command, "add") || Arguments.matches(command, "delete")) {
            final boolean add = Arguments.matches(command, "add");
            String name = null;
            TapDevices.Mode mode = null;
            boolean multiQueue = false;
            while (args.hasNext()) {
                final String word = args.next();
                if (Arguments.isHelp(word)) {
                    return Help.of(USAGE);
                }
                switch (word) {
                    case "dev", "name" -> name = args.valueOf(word);
                    case "mode" -> {
                        final String value = args.valueOf("mode");
                        mode = switch (value) {
                            case "tap" -> TapDevices.Mode.TAP;
                            case "tun" -> TapDevices.Mode.TUN;
                            default -> throw new UsageException("'" + value + "' is not a tuntap mode (tap, tun)", USAGE);
                        };
                    }
                    case "multi_queue" -> multiQueue = true;
                    default -> {
                        if (name != null) {
                            throw args.unknown(word, "tuntap option");
                        }
                        name = word;
                    }
                }
            }
            if (name == null) {
                throw new UsageException("tuntap " + command + " needs 'dev NAME'", USAGE);
            }
            if (mode == null) {
                throw new UsageException("tuntap " + command + " needs 'mode tap' or 'mode tun'", USAGE);
            }
            LinkNames.check(name);
            return add ? new Add(name, mode, multiQueue) : new Delete(name);
        }
        if (Arguments.matches(command, "show") || Arguments.matches(command, "list") || command.equals("lst")) {
            return new Show();
        }
        throw args.unknown(command, "tuntap command (add, del, show)");
    }

    record Add(String name, TapDevices.Mode mode, boolean multiQueue) implements Action {
        @Override
        public int run(final CliContext context) {
            TapDevices.add(context.namespace(), name, mode, multiQueue);
            return 0;
        }
    }

    record Delete(String name) implements Action {
        @Override
        public int run(final CliContext context) {
            TapDevices.delete(context.namespace(), name);
            return 0;
        }
    }

    record Show() implements Action {
        @Override
        public int run(final CliContext context) {
            final List<Object> json = new ArrayList<>();
            for (final Link link : context.rtnl().links()) {
                if (!"tun".equals(link.kind())) {
                    continue;
                }
                final String mode = link.type() == ARPHRD_NONE ? "tun" : "tap";
                if (context.json) {
                    final Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("ifname", link.name());
                    entry.put("flags", List.of(mode));
                    json.add(entry);
                } else {
                    context.out.println(link.name() + ": " + mode);
                }
            }
            if (context.json) {
                context.out.println(Json.write(json, context.pretty));
            }
            return 0;
        }
    }
}

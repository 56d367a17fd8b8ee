package dev.nsdp.control.cli;

import dev.nsdp.control.kernel.IpPrefix;
import dev.nsdp.control.kernel.Link;
import dev.nsdp.control.kernel.Route;
import dev.nsdp.control.kernel.RouteSpec;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code nsdp route ...}: routes of the main table (or another). */
final class RouteCommand implements ObjectCommand {
    private static final int MAIN_TABLE = 254;

    static final String USAGE = """
        Usage: nsdp [-n NS] [-4|-6] route add PREFIX|default [via ADDRESS] [dev NAME] [metric N] [table N]
               nsdp [-n NS] [-4|-6] route del PREFIX|default [via ADDRESS] [dev NAME] [metric N] [table N]
               nsdp [-n NS] [-4|-6] route show [table main|all|N]
        A route needs 'via' or 'dev' or both. Without -6, 'show' lists IPv4 routes (as ip does).""";

    @Override
    public String name() {
        return "route";
    }

    @Override
    public String summary() {
        return "IPv4/IPv6 routes";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public Action parse(final Arguments args, final CliContext context) {
        args.usage(USAGE);
        if (!args.hasNext()) {
            return new Show(MAIN_TABLE);
        }
        final String command = args.next();
        if (Arguments.isHelp(command)) {
            return Help.of(USAGE);
        }
        if (Arguments.matches(command, "add") || Arguments.matches(command, "delete")) {
            final boolean add = Arguments.matches(command, "add");
            String destination = null;
            InetAddress gateway = null;
            String dev = null;
            long metric = -1;
            int table = 0;
            while (args.hasNext()) {
                final String word = args.next();
                if (Arguments.isHelp(word)) {
                    return Help.of(USAGE);
                }
                switch (word) {
                    case "via" -> gateway = IpPrefix.parseAddress(args.valueOf("via"));
                    case "dev" -> dev = args.valueOf("dev");
                    case "metric", "preference", "priority" -> metric = Integer.toUnsignedLong(
                        args.intValueOf(word, 0, 0xFFFF_FFFFL));
                    case "table" -> table = parseTable(args.valueOf("table"), args);
                    case "to" -> destination = args.valueOf("to");
                    default -> {
                        if (destination != null) {
                            throw args.unknown(word, "route option");
                        }
                        destination = word;
                    }
                }
            }
            if (destination == null) {
                throw new UsageException("route " + command + " needs a PREFIX or 'default'", USAGE);
            }
            final IpPrefix prefix;
            if (destination.equals("default") || destination.equals("all") || destination.equals("any")) {
                final int family = context.family != 0 ? context.family
                    : gateway != null ? IpPrefix.family(gateway) : IpPrefix.AF_INET;
                prefix = IpPrefix.any(family);
            } else {
                prefix = IpPrefix.parse(destination);
            }
            if (add && gateway == null && dev == null) {
                throw new UsageException("route add " + destination + " needs 'via ADDRESS' or 'dev NAME'", USAGE);
            }
            return new Modify(add, new RouteSpec(prefix, gateway, dev, metric, table));
        }
        if (Arguments.matches(command, "show") || Arguments.matches(command, "list") || command.equals("lst")) {
            int table = MAIN_TABLE;
            while (args.hasNext()) {
                final String word = args.next();
                if (Arguments.isHelp(word)) {
                    return Help.of(USAGE);
                }
                if (word.equals("table")) {
                    table = parseTable(args.valueOf("table"), args);
                } else {
                    throw args.unknown(word, "route show option (table)");
                }
            }
            return new Show(table);
        }
        throw args.unknown(command, "route command (add, del, show)");
    }

    private static int parseTable(final String text, final Arguments args) {
        return switch (text) {
            case "main" -> MAIN_TABLE;
            case "local" -> 255;
            case "default" -> 253;
            case "all" -> 0;
            default -> {
                try {
                    final long value = Long.parseLong(text);
                    if (value < 1 || value > 0xFFFF_FFFFL) {
                        throw new NumberFormatException();
                    }
                    yield (int) value;
                } catch (final NumberFormatException e) {
                    throw new UsageException("'" + text + "' is not a routing table (main, local, all or 1..4294967295)",
                        args.usage());
                }
            }
        };
    }

    record Modify(boolean add, RouteSpec route) implements Action {
        @Override
        public int run(final CliContext context) {
            if (add) {
                context.rtnl().addRoute(route);
            } else {
                context.rtnl().deleteRoute(route);
            }
            return 0;
        }
    }

    record Show(int table) implements Action {
        @Override
        public int run(final CliContext context) {
            final int family = context.family != 0 ? context.family : IpPrefix.AF_INET;
            final List<Route> routes = context.rtnl().routes(family, table);
            final Map<Integer, Link> byIndex = LinkCommand.byIndex(context.rtnl().links());
            if (context.json) {
                final List<Object> json = new ArrayList<>();
                for (final Route route : routes) {
                    json.add(IpFormat.routeJson(route, byIndex));
                }
                context.out.println(Json.write(json, context.pretty));
            } else {
                for (final Route route : routes) {
                    context.out.println(IpFormat.routeText(route, byIndex));
                }
            }
            return 0;
        }
    }
}

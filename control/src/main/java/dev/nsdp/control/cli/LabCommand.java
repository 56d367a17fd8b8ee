package dev.nsdp.control.cli;

import dev.nsdp.control.model.JsonReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code nsdp apply FILE} and {@code nsdp destroy FILE}: a {@link LabFile} made real, or taken
 * away. Apply checks every line against what is running (the kernel's own dumps, the daemon's
 * queries) and runs only the lines that are not yet in place, so a second apply does nothing and
 * a half-made lab is completed; destroy undoes the lines that made something, in reverse order,
 * skipping what is already gone. Both print the plan; {@code --dry-run} stops there. Every line
 * runs through the same commands as typed ones (one code path), in this process.
 */
final class LabCommand implements ObjectCommand {
    private final boolean destroy;

    private LabCommand(final boolean destroy) {
        this.destroy = destroy;
    }

    static LabCommand apply() {
        return new LabCommand(false);
    }

    static LabCommand destroy() {
        return new LabCommand(true);
    }

    @Override
    public String name() {
        return destroy ? "destroy" : "apply";
    }

    @Override
    public String summary() {
        return destroy ? "remove what a lab file made (reverse order, missing objects skipped)"
            : "make a lab file real: run only the lines not yet in place";
    }

    @Override
    public String usage() {
        return "Usage: nsdp " + name() + " FILE [-s SOCKET] [--dry-run]\n"
            + "FILE: one nsdp command per line ('#' comments), in the order objects are made, e.g.\n"
            + "    netns add h1\n"
            + "    link add v1 type veth peer name lan0 netns h1\n"
            + "    -n h1 addr add 198.18.0.1/24 dev lan0\n"
            + "    dp ns add red\n"
            + "    dp -n red port add p1 type afpacket link v1\n"
            + "Lines it understands: " + LabStep.KNOWN + ".\n"
            + (destroy ? "destroy deletes, in reverse order, what the add lines made (deleting a namespace or a link\n"
                + "takes its addresses and routes with it); objects already gone are skipped.\n"
                : "apply compares each line with what runs now and runs only the missing ones; objects the file does\n"
                + "not name are left alone. A second apply prints 'nothing to do'.\n")
            + "-s SOCKET: the daemon's control socket for the dp lines (default $NSDP_SOCKET, else /run/nsdp/nsdp.sock).\n"
            + "--dry-run: print the plan, change nothing.";
    }

    @Override
    public Action parse(final Arguments arguments, final CliContext context) {
        arguments.usage(usage());
        String file = null;
        String socket = null;
        boolean dryRun = false;
        while (arguments.hasNext()) {
            final String word = arguments.next();
            switch (word) {
                case "-s", "-socket", "--socket" -> {
                    if (!arguments.hasNext()) {
                        throw new UsageException(word + " needs the daemon's socket path", usage());
                    }
                    socket = arguments.next();
                }
                case "--dry-run", "-dry-run", "-n" -> dryRun = true;
                case "help", "-h", "--help" -> {
                    return Help.of(usage());
                }
                default -> {
                    if (file != null) {
                        throw new UsageException("one lab file only: '" + file + "' and '" + word + "'", usage());
                    }
                    file = word;
                }
            }
        }
        if (file == null) {
            throw new UsageException("the lab FILE is missing", usage());
        }
        final LabFile lab = LabFile.read(file); // every bad line reported now, before anything runs
        final String daemonSocket = socket;
        final boolean onlyPlan = dryRun;
        return ctx -> new Run(lab, daemonSocket, ctx).execute(destroy, onlyPlan);
    }

    /** One apply or destroy: probes and commands through an in-process command line. */
    private static final class Run {
        private final LabFile lab;
        private final String socket;
        private final CliContext context;
        private final NsdpCli cli = new NsdpCli();

        Run(final LabFile lab, final String socket, final CliContext context) {
            this.lab = lab;
            this.socket = socket;
            this.context = context;
        }

        int execute(final boolean destroy, final boolean dryRun) {
            final List<List<String>> plan = new ArrayList<>();
            final List<String> shown = new ArrayList<>();
            if (destroy) {
                final List<LabStep> steps = lab.steps();
                for (int i = steps.size() - 1; i >= 0; i--) {
                    final List<String> undo = undo(steps.get(i));
                    if (undo != null) {
                        plan.add(undo);
                        shown.add("- " + String.join(" ", undo) + "   (line " + steps.get(i).line() + ")");
                    }
                }
            } else {
                final List<String> conflicts = new ArrayList<>();
                for (final LabStep step : lab.steps()) {
                    final String conflict = conflict(step);
                    if (conflict != null) {
                        conflicts.add(lab.source() + ":" + step.line() + ": " + conflict);
                    }
                }
                if (!conflicts.isEmpty()) {
                    conflicts.forEach(context.err::println);
                    context.err.println("nsdp: apply changed nothing: " + conflicts.size() + " object(s) exist but differ"
                        + " from the file; remove or rename them, or change the file");
                    return NsdpCli.FAILED;
                }
                for (final LabStep step : lab.steps()) {
                    if (!present(step)) {
                        plan.add(command(step));
                        shown.add("+ " + step.text() + "   (line " + step.line() + ")");
                    }
                }
            }
            if (plan.isEmpty()) {
                context.out.println("nothing to do: " + lab.source() + (destroy ? " has nothing left to remove" : " is in place"));
                return NsdpCli.OK;
            }
            context.out.println((dryRun ? "plan for " : destroy ? "destroying " : "applying ") + lab.source() + ": "
                + plan.size() + " change(s)");
            if (dryRun) {
                shown.forEach(context.out::println);
                return NsdpCli.OK;
            }
            int failures = 0;
            for (int i = 0; i < plan.size(); i++) {
                context.out.println(shown.get(i));
                final int status = cli.run(plan.get(i), context.out, context.err);
                if (status != NsdpCli.OK) {
                    if (!destroy) {
                        context.err.println("nsdp: apply stopped at '" + String.join(" ", plan.get(i)) + "'; the "
                            + i + " change(s) before it stay: fix the file and apply again, or `nsdp destroy "
                            + lab.source() + "`");
                        return NsdpCli.FAILED;
                    }
                    failures++;
                }
            }
            if (failures > 0) {
                context.err.println("nsdp: destroy: " + failures + " removal(s) failed (see above); the rest was removed");
                return NsdpCli.FAILED;
            }
            return NsdpCli.OK;
        }

        /** The command line that runs a step, with the daemon socket for dataplane lines. */
        private List<String> command(final LabStep step) {
            final List<String> args = new ArrayList<>();
            if (step.kernelNs() != null) {
                args.add("-n");
                args.add(step.kernelNs());
            }
            if (step.words().get(0).equals("dp")) {
                args.add("dp");
                if (socket != null) {
                    args.add("-s");
                    args.add(socket);
                }
                args.addAll(step.words().subList(1, step.words().size()));
            } else {
                args.addAll(step.words());
            }
            return args;
        }

        private List<String> dp(final String... words) {
            final List<String> args = new ArrayList<>(List.of("dp"));
            if (socket != null) {
                args.add("-s");
                args.add(socket);
            }
            args.addAll(List.of(words));
            return args;
        }

        private static List<String> in(final String kernelNs, final String... words) {
            final List<String> args = new ArrayList<>();
            if (kernelNs != null) {
                args.add("-n");
                args.add(kernelNs);
            }
            args.addAll(List.of(words));
            return args;
        }

        // ---------------------------------------------------------------- is it in place?

        private boolean present(final LabStep step) {
            return switch (step.kind()) {
                case NETNS_ADD -> Files.exists(Path.of("/run/netns", step.name()));
                case LINK_ADD, TUNTAP_ADD -> linkNamespace(step) != null;
                case LINK_SET -> linkSetInPlace(step);
                case ADDR_ADD -> addressPresent(step);
                case ROUTE_ADD -> routePresent(step);
                case DP_NS_ADD -> quiet(dp("-j", "ns", "show", step.name())) != null;
                case DP_PORT_ADD -> quiet(dp("-j", "-n", step.dpNs(), "port", "show", step.name())) != null;
                case DP_PORT_SET -> portSetInPlace(step);
            };
        }

        /**
         * Where the link a step made is now: its own kernel namespace, or the one a later
         * {@code link set dev NAME netns X} line of the file moved it to; null if in neither.
         */
        private String linkNamespace(final LabStep made) {
            final String home = made.kernelNs() == null ? "" : made.kernelNs();
            if (link(made.kernelNs(), made.name()) != null) {
                return home;
            }
            for (final LabStep step : lab.steps()) {
                if (step.kind() == LabStep.Kind.LINK_SET && step.name().equals(made.name())
                    && step.valueOf("netns") != null && link(step.valueOf("netns"), made.name()) != null) {
                    return step.valueOf("netns");
                }
            }
            return null;
        }

        private boolean linkSetInPlace(final LabStep step) {
            final String target = step.valueOf("netns");
            if (target != null) {
                return link(target, step.name()) != null && link(step.kernelNs(), step.name()) == null;
            }
            final Map<String, Object> link = link(step.kernelNs(), step.name());
            if (link == null) {
                return false;
            }
            final List<String> w = step.words();
            for (int i = 2; i < w.size(); i++) {
                switch (w.get(i)) {
                    case "dev" -> i++;
                    case "up" -> {
                        if (!flags(link).contains("UP")) {
                            return false;
                        }
                    }
                    case "down" -> {
                        if (flags(link).contains("UP")) {
                            return false;
                        }
                    }
                    case "mtu" -> {
                        if (i + 1 >= w.size() || !w.get(++i).equals(String.valueOf(link.get("mtu")))) {
                            return false;
                        }
                    }
                    case "address" -> {
                        if (i + 1 >= w.size() || !w.get(++i).equalsIgnoreCase(String.valueOf(link.get("address")))) {
                            return false;
                        }
                    }
                    default -> {
                        return false; // a setting apply cannot read back: run it (setting it again changes nothing)
                    }
                }
            }
            return true;
        }

        private boolean addressPresent(final LabStep step) {
            final String prefix = step.words().get(2);
            final int slash = prefix.indexOf('/');
            final String local = slash < 0 ? prefix : prefix.substring(0, slash);
            final String length = slash < 0 ? (local.contains(":") ? "128" : "32") : prefix.substring(slash + 1);
            final Map<String, Object> link = firstObject(quiet(in(step.kernelNs(), "-j", "addr", "show", "dev", step.name())));
            if (link == null || !(link.get("addr_info") instanceof List<?> infos)) {
                return false;
            }
            for (final Object info : infos) {
                if (info instanceof Map<?, ?> a && local.equalsIgnoreCase(String.valueOf(a.get("local")))
                    && length.equals(number(a.get("prefixlen")))) {
                    return true;
                }
            }
            return false;
        }

        private boolean routePresent(final LabStep step) {
            String destination = step.name();
            destination = destination.endsWith("/32") || destination.endsWith("/128")
                ? destination.substring(0, destination.indexOf('/'))
                : destination.equals("0.0.0.0/0") || destination.equals("::/0") ? "default" : destination;
            final boolean six = destination.contains(":") || (step.valueOf("via") != null && step.valueOf("via").contains(":"));
            final Object routes = quiet(in(step.kernelNs(), six ? "-6" : "-4", "-j", "route", "show"));
            if (routes instanceof List<?> list) {
                for (final Object route : list) {
                    if (route instanceof Map<?, ?> r && destination.equals(String.valueOf(r.get("dst")))) {
                        return true;
                    }
                }
            }
            return false;
        }

        private boolean portSetInPlace(final LabStep step) {
            final List<String> w = step.words();
            final String target = step.valueOf("netns");
            if (target != null) {
                final String newName = step.valueOf("name") == null ? step.name() : step.valueOf("name");
                return quiet(dp("-j", "-n", target, "port", "show", newName)) != null;
            }
            final Map<String, Object> port = firstObject(quiet(dp("-j", "-n", step.dpNs(), "port", "show", step.name())));
            if (port == null) {
                return false;
            }
            final boolean up = Boolean.TRUE.equals(port.get("up"));
            return (w.contains("up") && up) || (w.contains("down") && !up);
        }

        /** Why an object the step makes exists already but is not what the step says, or null. */
        private String conflict(final LabStep step) {
            if (step.kind() != LabStep.Kind.DP_PORT_ADD) {
                return null;
            }
            final Map<String, Object> port = firstObject(quiet(dp("-j", "-n", step.dpNs(), "port", "show", step.name())));
            if (port == null) {
                return null;
            }
            final String wanted = step.valueOf("link") != null ? step.valueOf("link") : step.valueOf("dev");
            final String kind = step.valueOf("type");
            if (!String.valueOf(port.get("link")).equals(wanted) || (kind != null && !kind.equals(port.get("kind")))) {
                return "port '" + step.name() + "' of dataplane namespace '" + step.dpNs() + "' exists on "
                    + port.get("kind") + " link '" + port.get("link") + "', the file wants " + kind + " link '" + wanted + "'";
            }
            return null;
        }

        // ---------------------------------------------------------------- undo

        private List<String> undo(final LabStep step) {
            return switch (step.kind()) {
                case NETNS_ADD -> present(step) ? List.of("netns", "del", step.name()) : null;
                case LINK_ADD -> {
                    final String where = linkNamespace(step);
                    yield where == null ? null : in(where.isEmpty() ? null : where, "link", "del", "dev", step.name());
                }
                case TUNTAP_ADD -> {
                    final String where = linkNamespace(step);
                    yield where == null ? null : in(where.isEmpty() ? null : where, "tuntap", "del", "dev", step.name(),
                        "mode", step.valueOf("mode") == null ? "tap" : step.valueOf("mode"));
                }
                case DP_NS_ADD -> present(step) ? dp("ns", "del", step.name()) : null;
                case DP_PORT_ADD -> {
                    final String conflict = conflict(step);
                    if (conflict != null) {
                        context.err.println("nsdp: destroy leaves it alone: " + lab.source() + ":" + step.line() + ": " + conflict);
                        yield null;
                    }
                    yield present(step) ? dp("-n", step.dpNs(), "port", "del", step.name()) : null;
                }
                default -> null; // settings, addresses and routes go with the object they belong to
            };
        }

        // ---------------------------------------------------------------- probes

        private Map<String, Object> link(final String kernelNs, final String name) {
            if (kernelNs != null && !Files.exists(Path.of("/run/netns", kernelNs))) {
                return null;
            }
            return firstObject(quiet(in(kernelNs, "-j", "link", "show", "dev", name)));
        }

        /** Runs a query in this process; its parsed JSON output, or null if it failed (no such object). */
        private Object quiet(final List<String> args) {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final ByteArrayOutputStream err = new ByteArrayOutputStream();
            final int status;
            try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                 PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                status = cli.run(args, o, e);
            }
            if (status != NsdpCli.OK) {
                final String message = err.toString(StandardCharsets.UTF_8);
                if (message.contains("cannot reach the nsdp daemon")) {
                    throw new IllegalStateException(message.strip());
                }
                return null;
            }
            final String text = out.toString(StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? List.of() : JsonReader.parse(text);
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> firstObject(final Object json) {
            if (json instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map<?, ?> m) {
                return (Map<String, Object>) m;
            }
            return json instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
        }

        private static List<String> flags(final Map<String, Object> link) {
            final List<String> flags = new ArrayList<>();
            if (link.get("flags") instanceof List<?> list) {
                list.forEach(f -> flags.add(String.valueOf(f).toUpperCase(Locale.ROOT)));
            }
            return flags;
        }

        private static String number(final Object value) {
            return value instanceof Number n ? String.valueOf(n.longValue()) : String.valueOf(value);
        }
    }
}

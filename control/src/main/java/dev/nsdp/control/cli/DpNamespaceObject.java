package dev.nsdp.control.cli;

import dev.nsdp.control.model.ControlException;
import dev.nsdp.control.model.JsonReader;
import dev.nsdp.control.model.NamespaceState;
import dev.nsdp.control.model.Request;
import dev.nsdp.dataplane.namespace.Level;
import dev.nsdp.dataplane.namespace.NamespaceSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code nsdp dp ns ...}: the dataplane's namespaces (create, delete, settings, export/import). */
final class DpNamespaceObject implements DpObject {
    static final String USAGE = """
        Usage: nsdp dp ns add NAME [level 2|3] [parent PARENT] [owner USER]
               nsdp dp ns del NAME
               nsdp dp ns list
               nsdp dp ns show [NAME]
               nsdp dp ns set NAME [forwarding on|off] [default-ttl 1..255] [mac-aging SECONDS] [mac-limit N]
               nsdp dp ns export NAME > FILE
               nsdp dp ns import FILE|- [name NEW]
        A namespace is level 2 (full: own MAC table, may have children) by default, or level 3
        (restricted). Deleting a namespace returns its ports to root. `export` prints the namespace's
        whole state (settings, ports, VLANs, static MACs) as JSON; `import` recreates it, all or
        nothing, optionally under a new name. Creating and importing need an administrator.""";

    private static final List<String> COMMANDS = List.of("add", "delete", "list", "show", "set", "export", "import");

    @Override
    public String name() {
        return "ns";
    }

    @Override
    public List<String> aliases() {
        return List.of("namespace");
    }

    @Override
    public String summary() {
        return "dataplane namespaces: add, del, list, show, set, export, import";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public Action parse(final Arguments args, final DpOptions options) {
        if (!args.hasNext()) {
            return list(options);
        }
        final String word = args.next();
        if (Arguments.isHelp(word)) {
            return Help.of(USAGE);
        }
        return switch (DpWords.keyword(word, COMMANDS, "nsdp dp ns", USAGE)) {
            case "add" -> add(args, options);
            case "delete" -> {
                final String name = DpWords.name(args, "ns del", "dataplane namespace");
                DpWords.end(args, "ns del " + name);
                yield new DpRequest("ns del " + name, new Request.DeleteNamespace(name), options, DpNamespaceObject::printReturned);
            }
            case "list" -> {
                DpWords.end(args, "ns list");
                yield list(options);
            }
            case "show" -> {
                if (!args.hasNext()) {
                    yield list(options);
                }
                final String name = DpWords.name(args, "ns show", "dataplane namespace");
                DpWords.end(args, "ns show " + name);
                yield new DpRequest("ns show " + name, new Request.ShowNamespace(name), options, DpFormat.NAMESPACE);
            }
            case "set" -> set(args, options);
            case "export" -> {
                final String name = DpWords.name(args, "ns export", "dataplane namespace");
                DpWords.end(args, "ns export " + name);
                yield new DpRequest("ns export " + name, new Request.ExportNamespace(name), options, DpFormat.DOCUMENT);
            }
            case "import" -> importFrom(args, options);
            default -> throw new IllegalStateException(word);
        };
    }

    private static Action list(final DpOptions options) {
        return new DpRequest("ns list", new Request.ListNamespaces(), options, DpFormat.NAMESPACES);
    }

    private static Action add(final Arguments args, final DpOptions options) {
        final String name = DpWords.name(args, "ns add", "dataplane namespace");
        Level level = Level.L2;
        String parent = null;
        String owner = null;
        final List<String> keywords = List.of("level", "parent", "owner");
        while (args.hasNext()) {
            final String keyword = DpWords.keyword(args.next(), keywords, "ns add " + name, USAGE);
            switch (keyword) {
                case "level" -> level = level(args.valueOf("level"));
                case "parent" -> parent = DpWords.checkName(args.valueOf("parent"), "parent namespace", USAGE);
                default -> owner = args.valueOf("owner");
            }
        }
        return new DpRequest("ns add " + name, new Request.AddNamespace(name, level, parent, owner), options, DpRequest.SILENT);
    }

    private static Level level(final String text) {
        return switch (text) {
            case "2", "L2", "l2" -> Level.L2;
            case "3", "L3", "l3" -> Level.L3;
            default -> throw new UsageException("level '" + text + "' is not a namespace level; use 2 (full) or 3 (restricted)", USAGE);
        };
    }

    private static Action set(final Arguments args, final DpOptions options) {
        final String name = DpWords.name(args, "ns set", "dataplane namespace");
        final Map<String, String> settings = new LinkedHashMap<>();
        NamespaceSettings check = NamespaceSettings.DEFAULTS;
        while (args.hasNext()) {
            final String setting = DpWords.keyword(args.next(), NamespaceSettings.NAMES, "ns set " + name, USAGE);
            final String value = args.valueOf(setting);
            try {
                check = check.withSetting(setting, value);
            } catch (final IllegalArgumentException e) {
                throw new UsageException(e.getMessage(), USAGE);
            }
            settings.put(setting, value);
        }
        if (settings.isEmpty()) {
            throw new UsageException("`ns set " + name + "` needs at least one setting: " + String.join(", ", NamespaceSettings.NAMES), USAGE);
        }
        return new DpRequest("ns set " + name, new Request.SetNamespace(name, settings), options, DpRequest.SILENT);
    }

    private static Action importFrom(final Arguments args, final DpOptions options) {
        if (!args.hasNext() || args.helpRequested()) {
            throw new UsageException("`ns import` needs a FILE (an `ns export` document, '-' for standard input)", USAGE);
        }
        final String file = args.next();
        String rename = null;
        while (args.hasNext()) {
            DpWords.keyword(args.next(), List.of("name"), "ns import " + file, USAGE);
            rename = DpWords.checkName(args.valueOf("name"), "dataplane namespace", USAGE);
        }
        return new Import(file, rename, options);
    }

    /** Prints where a deleted namespace's ports went (they were not destroyed). */
    private static void printReturned(final Object result, final DpOptions options, final java.io.PrintStream out) {
        final List<Object> returned = DpFormat.list(result, "returned");
        if (options.json()) {
            out.println(Json.write(result, options.pretty()));
        } else if (!returned.isEmpty()) {
            final StringBuilder line = new StringBuilder("ports returned to root:");
            returned.forEach(p -> line.append(' ').append(p));
            out.println(line);
        }
    }

    /** {@code ns import FILE}: the document is read when the command runs, then sent as one request. */
    record Import(String file, String rename, DpOptions options) implements Action {
        @Override
        public int run(final CliContext context) {
            final String text;
            try {
                text = file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file));
            } catch (final IOException e) {
                throw new IllegalStateException("dp ns import: cannot read '" + file + "': " + NsdpCli.describe(e), e);
            }
            NamespaceState state;
            try {
                state = NamespaceState.fromJson(JsonReader.parse(text.strip()));
            } catch (final ControlException | IllegalArgumentException e) {
                throw new IllegalStateException("dp ns import: '" + file + "' is not a namespace document (as `nsdp dp ns export`"
                    + " writes it): " + e.getMessage(), e);
            }
            if (rename != null) {
                state = state.withName(rename);
            }
            return new DpRequest("ns import " + file, new Request.ImportNamespace(state), options, DpRequest.SILENT).run(context);
        }
    }
}

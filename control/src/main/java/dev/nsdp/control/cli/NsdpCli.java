package dev.nsdp.control.cli;

import dev.nsdp.control.kernel.IpPrefix;
import dev.nsdp.control.kernel.KernelException;
import dev.nsdp.dataplane.nativ.NativeException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code nsdp} command line (scripts/nsdp). For kernel objects it speaks iproute2's grammar, so
 * {@code nsdp netns add red}, {@code nsdp link add v0 type veth peer name eth0 netns red},
 * {@code nsdp -n red addr add 198.18.0.2/24 dev v0} and {@code nsdp -j link show} work as with
 * {@code ip}, through nsdp's own rtnetlink client.
 *
 * <p>Exit status: 0 success; 1 the kernel (or the system) refused; 2 the command line is wrong
 * (nothing was changed). {@code netns exec} returns the command's own status. ip itself returns 1
 * for most failures and 255 for some usage errors; nsdp separates the two so scripts can tell them
 * apart.
 */
public final class NsdpCli {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    static final String GLOBAL_USAGE = """
        Usage: nsdp [OPTIONS] OBJECT { COMMAND | help }
               nsdp [OPTIONS] -batch FILE
        OPTIONS := -n NS | -netns NS    act in network namespace NS (a name from `nsdp netns list`)
                   -j | -json           JSON output, shaped like `ip -j`
                   -p | -pretty         indented JSON
                   -4 | -6              IPv4 / IPv6 only
                   -b | -batch FILE     run the commands in FILE ('-' for standard input), one per line
                   -force               in a batch, go on after a failed command
                   -h | -help           this text
        Exit status: 0 success, 1 refused by the kernel or the system, 2 wrong command line.
        OBJECT := {""";

    private final CommandTable table;

    public NsdpCli() {
        this(CommandTable.standard());
    }

    NsdpCli(final CommandTable table) {
        this.table = table;
    }

    public static void main(final String[] args) {
        final int status = new NsdpCli().run(Arrays.asList(args), System.out, System.err);
        System.out.flush();
        System.exit(status);
    }

    /** Runs one command line; returns the exit status. */
    public int run(final List<String> args, final PrintStream out, final PrintStream err) {
        try (CliContext context = new CliContext(out, err)) {
            int i = 0;
            String batchFile = null;
            while (i < args.size() && args.get(i).startsWith("-") && args.get(i).length() > 1) {
                String option = args.get(i++);
                if (option.startsWith("--")) {
                    option = option.substring(1);
                }
                if (Arguments.matches(option, "-netns") && option.length() >= 2) {
                    if (i >= args.size()) {
                        return usage(err, "-netns needs a namespace name", null);
                    }
                    context.namespaceName = args.get(i++);
                } else if (Arguments.matches(option, "-json") && option.length() >= 2) {
                    context.json = true;
                } else if (Arguments.matches(option, "-pretty") && option.length() >= 2) {
                    context.pretty = true;
                } else if (option.equals("-4")) {
                    context.family = IpPrefix.AF_INET;
                } else if (option.equals("-6")) {
                    context.family = IpPrefix.AF_INET6;
                } else if (Arguments.matches(option, "-batch") && option.length() >= 2) {
                    if (i >= args.size()) {
                        return usage(err, "-batch needs a file name ('-' for standard input)", null);
                    }
                    batchFile = args.get(i++);
                } else if (option.equals("-force")) {
                    context.force = true;
                } else if (Arguments.matches(option, "-help") && option.length() >= 2) {
                    out.println(globalUsage());
                    return OK;
                } else {
                    return usage(err, "option '" + args.get(i - 1) + "' is unknown, try `nsdp -help`", null);
                }
            }
            if (batchFile != null) {
                return new BatchRunner(this, context).run(batchFile);
            }
            if (i >= args.size()) {
                return usage(err, "an OBJECT is missing", globalUsage());
            }
            return execute(args.subList(i, args.size()), context, null);
        }
    }

    /** Parses and runs one command (the words after the options); prints failures with {@code where}. */
    int execute(final List<String> words, final CliContext context, final String where) {
        final Action action;
        try {
            action = parse(words, context);
        } catch (final UsageException e) {
            return usage(context.err, prefix(where) + e.getMessage(), e.usage());
        } catch (final IllegalArgumentException e) {
            return usage(context.err, prefix(where) + e.getMessage(), null);
        }
        return runReporting(action, context, where);
    }

    /** Parses one command into an action; throws UsageException / IllegalArgumentException. */
    Action parse(final List<String> words, final CliContext context) {
        final String objectWord = words.get(0);
        if (Arguments.isHelp(objectWord)) {
            return Help.of(globalUsage());
        }
        final ObjectCommand object = table.find(objectWord);
        if (object == null) {
            throw new UsageException("object '" + objectWord + "' is unknown, try `nsdp help`", null);
        }
        return object.parse(new Arguments(words.subList(1, words.size())), context);
    }

    /** Runs an action, turning exceptions into messages and exit statuses. */
    static int runReporting(final Action action, final CliContext context, final String where) {
        try {
            return action.run(context);
        } catch (final KernelException | NativeException e) {
            context.err.println("nsdp: " + prefix(where) + e.getMessage());
            return FAILED;
        } catch (final UsageException e) {
            return usage(context.err, prefix(where) + e.getMessage(), e.usage());
        } catch (final IllegalArgumentException e) {
            context.err.println("nsdp: " + prefix(where) + e.getMessage());
            return USAGE;
        } catch (final RuntimeException e) {
            context.err.println("nsdp: " + prefix(where) + describe(e));
            return FAILED;
        }
    }

    static String describe(final Throwable e) {
        final String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    private static String prefix(final String where) {
        return where == null ? "" : where + ": ";
    }

    String globalUsage() {
        final StringBuilder text = new StringBuilder(GLOBAL_USAGE);
        final List<ObjectCommand> objects = table.objects();
        for (int k = 0; k < objects.size(); k++) {
            text.append(k == 0 ? " " : " | ").append(objects.get(k).name());
        }
        text.append(" }\n");
        for (final ObjectCommand object : objects) {
            text.append(String.format("    %-8s %s%n", object.name(), object.summary()));
        }
        text.append(String.format("    %-8s %s%n", "perf", "load generator, latency sink, RFC 2544 (`nsdp perf help`; the launcher runs the perf module)"));
        text.append("`nsdp OBJECT help` shows an object's commands.");
        return text.toString();
    }

    private static int usage(final PrintStream err, final String message, final String usage) {
        err.println("nsdp: " + message);
        if (usage != null) {
            err.println(usage);
        }
        return USAGE;
    }
}

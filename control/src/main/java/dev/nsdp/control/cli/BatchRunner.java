package dev.nsdp.control.cli;

import dev.nsdp.control.kernel.BulkResult;
import dev.nsdp.control.kernel.NamedNamespaces;
import dev.nsdp.control.kernel.NewLink;
import dev.nsdp.control.kernel.PendingNamespaces;
import dev.nsdp.dataplane.nativ.KernelNamespace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code nsdp -batch FILE}: one command per line, as {@code ip -batch}. Every line is parsed
 * before any runs, so a typo on line 900 changes nothing. Then consecutive lines of the same bulk
 * kind run together ({@link BulkAction}: namespaces made on parallel threads, link requests
 * pipelined, links deleted as one group); everything else runs line by line. A failure is
 * reported with its line; the batch stops after the failing line's group unless {@code -force}.
 */
final class BatchRunner {
    /** Link requests sent per chunk while namespaces are still being made. */
    private static final int LINK_CHUNK = 64;

    private final NsdpCli cli;
    private final CliContext context;

    BatchRunner(final NsdpCli cli, final CliContext context) {
        this.cli = cli;
        this.context = context;
    }

    private record Line(int number, List<String> words) {
    }

    private record Step(int line, Action action) {
    }

    int run(final String file) {
        final List<Line> lines;
        try {
            lines = read(file);
        } catch (final IOException e) {
            context.err.println("nsdp: cannot read batch file '" + file + "': " + NsdpCli.describe(e));
            return NsdpCli.FAILED;
        } catch (final UsageException e) {
            context.err.println("nsdp: " + file + ": " + e.getMessage());
            return NsdpCli.USAGE;
        }
        final List<Step> steps = new ArrayList<>(lines.size());
        int usageErrors = 0;
        for (final Line line : lines) {
            try {
                steps.add(new Step(line.number, cli.parse(line.words, context)));
            } catch (final UsageException | IllegalArgumentException e) {
                context.err.println("nsdp: " + file + ":" + line.number + ": " + e.getMessage());
                usageErrors++;
            }
        }
        if (usageErrors > 0) {
            context.err.println("nsdp: " + usageErrors + " line(s) of " + file + " are wrong: nothing was run");
            return NsdpCli.USAGE;
        }
        int status = NsdpCli.OK;
        int k = 0;
        while (k < steps.size()) {
            final Step step = steps.get(k);
            if (step.action instanceof BulkAction bulk) {
                int end = k + 1;
                while (end < steps.size() && steps.get(end).action instanceof BulkAction next
                    && next.bulkKey().equals(bulk.bulkKey())) {
                    end++;
                }
                final List<BulkAction> run = new ArrayList<>(end - k);
                for (int j = k; j < end; j++) {
                    run.add((BulkAction) steps.get(j).action);
                }
                final int linksEnd = bulk instanceof NetnsCommand.Add ? runEnd(steps, end, "link add") : end;
                if (linksEnd > end) {
                    // netns adds followed by link adds: made together, links as soon as their namespaces exist.
                    final boolean failed = overlapped(file, steps, k, end, linksEnd);
                    k = linksEnd;
                    if (failed) {
                        status = NsdpCli.FAILED;
                        if (!context.force) {
                            return status;
                        }
                    }
                    continue;
                }
                boolean failed;
                try {
                    final BulkResult result = end - k == 1 ? single(bulk, file, step.line) : bulk.runAll(context, run);
                    for (final BulkResult.Failure failure : result.failures()) {
                        final int line = failure.index() >= 0 ? steps.get(k + failure.index()).line : step.line;
                        context.err.println("nsdp: " + file + ":" + line + ": " + NsdpCli.describe(failure.error()));
                    }
                    failed = !result.ok();
                } catch (final RuntimeException e) {
                    context.err.println("nsdp: " + file + ":" + step.line + "-" + steps.get(end - 1).line + ": "
                        + NsdpCli.describe(e));
                    failed = true;
                }
                k = end;
                if (failed) {
                    status = NsdpCli.FAILED;
                    if (!context.force) {
                        return status;
                    }
                }
            } else {
                final int r = NsdpCli.runReporting(step.action, context, file + ":" + step.line);
                k++;
                if (r != NsdpCli.OK) {
                    status = NsdpCli.FAILED;
                    if (!context.force) {
                        return status;
                    }
                }
            }
        }
        return status;
    }

    /** The end of the run of {@code key} actions starting at {@code from} ({@code from} when there is none). */
    private static int runEnd(final List<Step> steps, final int from, final String key) {
        int end = from;
        while (end < steps.size() && steps.get(end).action instanceof BulkAction next && next.bulkKey().equals(key)) {
            end++;
        }
        return end;
    }

    /**
     * Steps [k, netnsEnd) are netns adds and [netnsEnd, linksEnd) link adds. The namespaces are
     * made on a background thread while this one sends the link requests, a chunk at a time, each
     * chunk once the namespaces it names exist. Returns true when anything failed.
     */
    private boolean overlapped(final String file, final List<Step> steps, final int k, final int netnsEnd,
                               final int linksEnd) {
        final List<String> names = new ArrayList<>(netnsEnd - k);
        for (int j = k; j < netnsEnd; j++) {
            names.add(((NetnsCommand.Add) steps.get(j).action).name());
        }
        boolean failed = false;
        final PendingNamespaces pending = NamedNamespaces.startAddAll(names, 1);
        try {
            for (int start = netnsEnd; start < linksEnd; start += LINK_CHUNK) {
                final int end = Math.min(linksEnd, start + LINK_CHUNK);
                final List<NewLink> links = new ArrayList<>(end - start);
                final List<Integer> lineOf = new ArrayList<>(end - start);
                for (int j = start; j < end; j++) {
                    final NewLink link = ((LinkCommand.Add) steps.get(j).action).link();
                    final String missing = firstMissing(pending, link);
                    if (missing != null) {
                        context.err.println("nsdp: " + file + ":" + steps.get(j).line + ": add " + link.describe()
                            + " skipped: namespace '" + missing + "' could not be created (see its line)");
                        failed = true;
                        continue;
                    }
                    links.add(link);
                    lineOf.add(steps.get(j).line);
                }
                final BulkResult result = context.rtnl().addLinks(links);
                for (final BulkResult.Failure failure : result.failures()) {
                    context.err.println("nsdp: " + file + ":" + lineOf.get(failure.index()) + ": "
                        + NsdpCli.describe(failure.error()));
                    failed = true;
                }
            }
        } catch (final RuntimeException e) {
            context.err.println("nsdp: " + file + ":" + steps.get(netnsEnd).line + "-" + steps.get(linksEnd - 1).line
                + ": " + NsdpCli.describe(e));
            failed = true;
        } finally {
            final BulkResult namespaces = pending.await();
            for (final BulkResult.Failure failure : namespaces.failures()) {
                context.err.println("nsdp: " + file + ":" + steps.get(k + failure.index()).line + ": "
                    + NsdpCli.describe(failure.error()));
                failed = true;
            }
        }
        return failed;
    }

    /** The name of a namespace {@code link} needs that this batch failed to make, or null. */
    private static String firstMissing(final PendingNamespaces pending, final NewLink link) {
        for (final KernelNamespace namespace : new KernelNamespace[] {link.namespace(), link.peerNamespace()}) {
            if (namespace != null && !namespace.isCurrent() && namespace.path().getParent() != null
                && namespace.path().getParent().equals(KernelNamespace.NAMED_DIR)
                && !pending.awaitPinned(namespace.displayName())) {
                return namespace.displayName();
            }
        }
        return null;
    }

    /** A bulk action alone: run plainly, its failure reported like any other. */
    private BulkResult single(final BulkAction action, final String file, final int line) {
        try {
            action.run(context);
            return new BulkResult(1, List.of());
        } catch (final RuntimeException e) {
            return new BulkResult(1, List.of(new BulkResult.Failure(0, e)));
        }
    }

    private static List<Line> read(final String file) throws IOException {
        final List<Line> lines = new ArrayList<>();
        try (BufferedReader reader = file.equals("-")
            ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
            : Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            String text;
            int number = 0;
            while ((text = reader.readLine()) != null) {
                number++;
                final List<String> words = split(text, number);
                if (!words.isEmpty()) {
                    lines.add(new Line(number, words));
                }
            }
        }
        return lines;
    }

    /** Words of a line: whitespace separated, "double" or 'single' quotes group, '#' starts a comment. */
    static List<String> split(final String text, final int number) {
        final List<String> words = new ArrayList<>();
        final StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (c == '#' && !inWord) {
                break;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new UsageException("line " + number + ": unterminated quote", null);
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}

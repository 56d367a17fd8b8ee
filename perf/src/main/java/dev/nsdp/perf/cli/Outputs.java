package dev.nsdp.perf.cli;

import dev.nsdp.perf.report.HlogFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** Where reports go: --json, --hlog, --svg files, or --report PREFIX for all three. */
final class Outputs {
    static final Set<String> VALUES = Set.of("json", "hlog", "svg", "report", "interval");
    static final Set<String> FLAGS = Set.of("quiet");

    static final String HELP = """
          output:
            --json FILE       the results as JSON (keys documented in README.md, "perf: JSON keys")
            --hlog FILE       HdrHistogram interval log: corrected latency untagged, Tag=uncorrected, Tag=send-lag
            --svg FILE        plot: latency percentile distribution and received vs offered rate
            --report PREFIX   all three: PREFIX.json, PREFIX.hlog, PREFIX.svg
            --interval D      length of the per-interval lines and .hlog intervals              [1s]
            --quiet           no per-interval lines
        """;

    final Path json;
    final Path hlog;
    final Path svg;
    final long intervalNanos;
    final boolean quiet;

    Outputs(final Arguments a) {
        final String prefix = a.string("report", null);
        this.json = path(a, "json", prefix, ".json");
        this.hlog = path(a, "hlog", prefix, ".hlog");
        this.svg = path(a, "svg", prefix, ".svg");
        this.intervalNanos = a.nanos("interval", 1_000_000_000L);
        if (intervalNanos < 10_000_000L) {
            throw new UsageException("--interval must be at least 10ms");
        }
        this.quiet = a.flag("quiet");
    }

    private static Path path(final Arguments a, final String name, final String prefix, final String suffix) {
        final String p = a.string(name, prefix == null ? null : prefix + suffix);
        if (p == null) {
            return null;
        }
        final Path path = Path.of(p).toAbsolutePath();
        if (path.getParent() != null && !Files.isDirectory(path.getParent())) {
            throw new UsageException("--" + name + ": directory " + path.getParent() + " does not exist");
        }
        return path;
    }

    HlogFile openHlog(final Path path, final String comment) {
        return path == null ? null : new HlogFile(path, comment, System.currentTimeMillis());
    }

    /** {@code base.hlog} -> {@code base-TAG.hlog}, for one log per frame size. */
    static Path tagged(final Path path, final String tag) {
        if (path == null) {
            return null;
        }
        final String name = path.getFileName().toString();
        final int dot = name.lastIndexOf('.');
        final String tagged = dot > 0 ? name.substring(0, dot) + "-" + tag + name.substring(dot) : name + "-" + tag;
        return path.resolveSibling(tagged);
    }

    static void write(final Path path, final String text, final StringBuilder written) {
        if (path == null) {
            return;
        }
        try {
            Files.writeString(path, text);
            written.append("  wrote ").append(path).append('\n');
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }
}

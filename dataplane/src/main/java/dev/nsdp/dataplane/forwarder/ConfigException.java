package dev.nsdp.dataplane.forwarder;

import java.util.Comparator;
import java.util.List;

/**
 * A configuration file was refused. Carries every problem found (not just the first), each with
 * its line, so one edit can fix them all. Thrown before anything was applied: no namespace, port,
 * socket or TAP exists because of the refused file.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    /** One thing wrong with one line: what, and what to do about it. */
    public record Problem(int line, String message) {
        @Override
        public String toString() {
            return "line " + line + ": " + message;
        }
    }

    private final String source;
    private final transient List<Problem> problems;

    public ConfigException(final String source, final List<Problem> problems) {
        super(render(source, problems));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    /** The file (or other source) the configuration came from. */
    public String source() {
        return source;
    }

    /** The problems, by line. */
    public List<Problem> problems() {
        return problems;
    }

    private static String render(final String source, final List<Problem> problems) {
        final List<Problem> sorted = problems.stream().sorted(Comparator.comparingInt(Problem::line)).toList();
        final StringBuilder s = new StringBuilder();
        s.append(source).append(": ").append(sorted.size()).append(sorted.size() == 1 ? " error" : " errors")
            .append(", nothing was applied");
        for (final Problem problem : sorted) {
            s.append(System.lineSeparator()).append("  ").append(problem);
        }
        return s.toString();
    }
}

package dev.nsdp.perf.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Options of one subcommand: {@code --name value} and bare {@code --flag}s, each name known in
 * advance (a typo is an error that lists the known ones), each given at most once. Values are
 * parsed with units: rates ({@code 1.5Mpps}, {@code 200k}, {@code 10Gbps}), durations ({@code 10s},
 * {@code 500ms}, {@code 2m}), counts ({@code 1M}), ratios ({@code 0.1%}).
 */
public final class Arguments {
    private final String command;
    private final Map<String, String> values = new LinkedHashMap<>();

    public Arguments(final String command, final List<String> args, final Set<String> valueOptions, final Set<String> flags) {
        this.command = command;
        for (int i = 0; i < args.size(); i++) {
            final String a = args.get(i);
            if (!a.startsWith("--")) {
                throw new UsageException("unexpected argument '" + a + "' (options start with --; see: perf help " + command + ")");
            }
            String name = a.substring(2);
            String value = null;
            final int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name)) {
                if (value != null) {
                    throw new UsageException("--" + name + " takes no value");
                }
                value = "true";
            } else if (valueOptions.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new UsageException("--" + name + " needs a value");
                    }
                    value = args.get(++i);
                }
            } else {
                final Set<String> known = new TreeSet<>(valueOptions);
                known.addAll(flags);
                throw new UsageException("unknown option --" + name + " for '" + command + "'; known: --" + String.join(" --", known));
            }
            if (values.put(name, value) != null) {
                throw new UsageException("--" + name + " given twice");
            }
        }
    }

    public boolean has(final String name) {
        return values.containsKey(name);
    }

    public boolean flag(final String name) {
        return values.containsKey(name);
    }

    public String string(final String name, final String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public long count(final String name, final long fallback) {
        return has(name) ? parseCount(name, values.get(name)) : fallback;
    }

    public int integer(final String name, final int fallback) {
        final long v = count(name, fallback);
        if (v > Integer.MAX_VALUE) {
            throw new UsageException("--" + name + " " + v + " is too large");
        }
        return (int) v;
    }

    public long nanos(final String name, final long fallback) {
        return has(name) ? parseDuration(name, values.get(name)) : fallback;
    }

    public double ratio(final String name, final double fallback) {
        if (!has(name)) {
            return fallback;
        }
        final String t = values.get(name).trim();
        try {
            return t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1)) / 100 : Double.parseDouble(t);
        } catch (final NumberFormatException e) {
            throw new UsageException("--" + name + " '" + t + "' is not a ratio (0.001 or 0.1%)");
        }
    }

    /**
     * A rate in frames per second: {@code 1Mpps}, {@code 250kpps}, {@code 1000} (pps), or a bit rate
     * ({@code 10Gbps}, {@code 500Mbit/s}) converted with the average frame size (FCS included).
     */
    public long rate(final String name, final long fallback, final double averageFrameBytes) {
        if (!has(name)) {
            return fallback;
        }
        final String raw = values.get(name).trim();
        final String t = raw.toLowerCase(Locale.ROOT).replace("bit/s", "bps").replace("/s", "ps");
        final double pps;
        if (t.endsWith("bps")) {
            pps = number(name, raw, t.substring(0, t.length() - 3)) / (8 * averageFrameBytes);
        } else {
            pps = number(name, raw, t.endsWith("pps") ? t.substring(0, t.length() - 3) : t);
        }
        if (!(pps >= 1)) {
            throw new UsageException("--" + name + " " + raw + " is below 1 frame/s: a rate must be positive"
                + (raw.toLowerCase(Locale.ROOT).contains("bps") ? " (at " + averageFrameBytes + "-byte frames)" : ""));
        }
        if (pps > 1e9) {
            throw new UsageException("--" + name + " " + raw + " is above 1 Gpps: not a rate any port here can take");
        }
        return Math.round(pps);
    }

    /** "1.5M" -> 1.5e6: k, M, G suffixes (decimal). */
    private static double number(final String name, final String raw, final String text) {
        String t = text.trim();
        double scale = 1;
        if (t.endsWith("k")) {
            scale = 1e3;
        } else if (t.endsWith("m")) {
            scale = 1e6;
        } else if (t.endsWith("g")) {
            scale = 1e9;
        }
        if (scale != 1) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            return Double.parseDouble(t) * scale;
        } catch (final NumberFormatException e) {
            throw new UsageException("--" + name + " '" + raw + "' is not a number (examples: 1000, 250k, 1.5Mpps, 10Gbps)");
        }
    }

    static long parseCount(final String name, final String raw) {
        final double v = number(name, raw, raw.toLowerCase(Locale.ROOT));
        if (v != Math.rint(v) || v < 0) {
            throw new UsageException("--" + name + " '" + raw + "' is not a whole number");
        }
        return (long) v;
    }

    static long parseDuration(final String name, final String raw) {
        final String t = raw.trim().toLowerCase(Locale.ROOT);
        final double scale;
        final String digits;
        if (t.endsWith("ms")) {
            scale = 1e6;
            digits = t.substring(0, t.length() - 2);
        } else if (t.endsWith("us")) {
            scale = 1e3;
            digits = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            scale = 1e9;
            digits = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            scale = 60e9;
            digits = t.substring(0, t.length() - 1);
        } else {
            throw new UsageException("--" + name + " '" + raw + "' needs a unit: 500ms, 10s, 2m");
        }
        try {
            final double v = Double.parseDouble(digits) * scale;
            if (v < 0) {
                throw new UsageException("--" + name + " must not be negative");
            }
            return Math.round(v);
        } catch (final NumberFormatException e) {
            throw new UsageException("--" + name + " '" + raw + "' is not a duration (500ms, 10s, 2m)");
        }
    }
}

package dev.nsdp.control.cli;

import java.util.List;
import java.util.Map;

/**
 * Writes JSON from maps (LinkedHashMap keeps ip's key order), lists, strings, numbers, booleans
 * and null: compact like {@code ip -j}, or indented like {@code ip -j -p}.
 */
final class Json {
    private Json() {
    }

    static String write(final Object value, final boolean pretty) {
        final StringBuilder out = new StringBuilder(256);
        write(out, value, pretty, 0);
        return out.toString();
    }

    private static void write(final StringBuilder out, final Object value, final boolean pretty, final int depth) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(out, s);
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (final Map.Entry<?, ?> entry : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                newline(out, pretty, depth + 1);
                string(out, String.valueOf(entry.getKey()));
                out.append(pretty ? ": " : ":");
                write(out, entry.getValue(), pretty, depth + 1);
            }
            if (!first) {
                newline(out, pretty, depth);
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            boolean first = true;
            for (final Object item : list) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                newline(out, pretty, depth + 1);
                write(out, item, pretty, depth + 1);
            }
            if (!first) {
                newline(out, pretty, depth);
            }
            out.append(']');
        } else {
            string(out, value.toString());
        }
    }

    private static void newline(final StringBuilder out, final boolean pretty, final int depth) {
        if (pretty) {
            out.append('\n');
            out.append("    ".repeat(depth));
        }
    }

    private static void string(final StringBuilder out, final String s) {
        dev.nsdp.dataplane.json.JsonString.quote(out, s);
    }
}

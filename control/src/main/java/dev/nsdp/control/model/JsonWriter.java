package dev.nsdp.control.model;

import java.util.List;
import java.util.Map;

/**
 * Writes the values {@link JsonReader} reads (maps, lists, strings, longs/ints, doubles, booleans,
 * null) as compact JSON on one line: every control character, including newline, is escaped, so
 * one value is one line of the newline-delimited control protocol.
 */
public final class JsonWriter {
    private JsonWriter() {
    }

    public static String write(final Object value) {
        final StringBuilder out = new StringBuilder(128);
        write(out, value);
        return out.toString();
    }

    public static void write(final StringBuilder out, final Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(out, s);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
            || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Double || value instanceof Float) {
            final double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("JSON has no " + d);
            }
            out.append(d);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (final Map.Entry<?, ?> entry : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(out, String.valueOf(entry.getKey()));
                out.append(':');
                write(out, entry.getValue());
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
                write(out, item);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON");
        }
    }

    private static void string(final StringBuilder out, final String s) {
        dev.nsdp.dataplane.json.JsonString.quote(out, s);
    }

    /** The JSON type of a value, for error messages. */
    public static String typeName(final Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Long || value instanceof Integer) {
            return "an integer";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "an array";
        }
        return value.getClass().getSimpleName();
    }
}

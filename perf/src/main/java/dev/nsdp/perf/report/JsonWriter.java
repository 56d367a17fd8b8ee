package dev.nsdp.perf.report;

/**
 * A small streaming JSON writer (RFC 8259), two-space indented: objects, arrays, strings with
 * escapes, integers, and doubles (non-finite values are written as null, which JSON requires).
 * The caller nests calls correctly; the writer tracks only where commas go.
 */
public final class JsonWriter {
    private final StringBuilder out = new StringBuilder();
    private int depth;
    private boolean first = true;
    private boolean afterName;

    public JsonWriter beginObject() {
        value();
        out.append('{');
        return open();
    }

    public JsonWriter endObject() {
        return close('}');
    }

    public JsonWriter beginArray() {
        value();
        out.append('[');
        return open();
    }

    public JsonWriter endArray() {
        return close(']');
    }

    public JsonWriter name(final String name) {
        separate();
        string(name);
        out.append(": ");
        afterName = true;
        return this;
    }

    public JsonWriter value(final String s) {
        value();
        if (s == null) {
            out.append("null");
        } else {
            string(s);
        }
        return this;
    }

    public JsonWriter value(final long v) {
        value();
        out.append(v);
        return this;
    }

    public JsonWriter value(final double v) {
        value();
        if (Double.isFinite(v)) {
            if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                out.append((long) v);
            } else {
                out.append(v);
            }
        } else {
            out.append("null");
        }
        return this;
    }

    public JsonWriter value(final boolean v) {
        value();
        out.append(v);
        return this;
    }

    public JsonWriter field(final String name, final String v) {
        return name(name).value(v);
    }

    public JsonWriter field(final String name, final long v) {
        return name(name).value(v);
    }

    public JsonWriter field(final String name, final double v) {
        return name(name).value(v);
    }

    public JsonWriter field(final String name, final boolean v) {
        return name(name).value(v);
    }

    private JsonWriter open() {
        depth++;
        first = true;
        return this;
    }

    private JsonWriter close(final char c) {
        depth--;
        if (!first) {
            newline();
        }
        out.append(c);
        first = false;
        return this;
    }

    /** Before a value: a comma and newline unless it follows a name or opens the document. */
    private void value() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (depth > 0) {
            separate();
        }
    }

    private void separate() {
        if (!first) {
            out.append(',');
        }
        newline();
        first = false;
    }

    private void newline() {
        out.append('\n');
        for (int i = 0; i < depth; i++) {
            out.append("  ");
        }
    }

    private void string(final String s) {
        dev.nsdp.dataplane.json.JsonString.quote(out, s);
    }

    @Override
    public String toString() {
        return out + "\n";
    }
}

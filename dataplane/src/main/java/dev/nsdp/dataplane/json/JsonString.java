package dev.nsdp.dataplane.json;

/**
 * Writes a JSON string literal: the one escaper every JSON writer of nsdp uses (the control API,
 * the command line's `-j` output, the perf reports). Control characters, DEL and the two Unicode
 * line separators are escaped, so the output is safe to embed anywhere JSON or JavaScript is read.
 */
public final class JsonString {
    private JsonString() {
    }

    public static void quote(final StringBuilder out, final String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7F || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}

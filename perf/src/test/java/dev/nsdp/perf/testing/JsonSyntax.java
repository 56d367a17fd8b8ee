package dev.nsdp.perf.testing;

/** A strict RFC 8259 syntax check (test code): throws with the offset of the first error. */
public final class JsonSyntax {
    private final String s;
    private int i;

    private JsonSyntax(final String s) {
        this.s = s;
    }

    public static void check(final String text) {
        final JsonSyntax p = new JsonSyntax(text);
        p.value();
        p.space();
        if (p.i != text.length()) {
            throw p.error("trailing characters");
        }
    }

    private IllegalArgumentException error(final String what) {
        return new IllegalArgumentException(what + " at offset " + i + ": ..." + s.substring(Math.max(0, i - 30), Math.min(s.length(), i + 30)));
    }

    private void space() {
        while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
    }

    private void value() {
        space();
        if (i >= s.length()) {
            throw error("unexpected end");
        }
        final char c = s.charAt(i);
        if (c == '{') {
            i++;
            space();
            if (s.charAt(i) == '}') {
                i++;
                return;
            }
            while (true) {
                space();
                string();
                space();
                expect(':');
                value();
                space();
                if (s.charAt(i) == ',') {
                    i++;
                } else {
                    expect('}');
                    return;
                }
            }
        } else if (c == '[') {
            i++;
            space();
            if (s.charAt(i) == ']') {
                i++;
                return;
            }
            while (true) {
                value();
                space();
                if (s.charAt(i) == ',') {
                    i++;
                } else {
                    expect(']');
                    return;
                }
            }
        } else if (c == '"') {
            string();
        } else if (s.startsWith("true", i) || s.startsWith("null", i)) {
            i += 4;
        } else if (s.startsWith("false", i)) {
            i += 5;
        } else {
            final int start = i;
            while (i < s.length() && "-+.eE0123456789".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            if (start == i || !s.substring(start, i).matches("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?")) {
                throw error("bad value");
            }
        }
    }

    private void string() {
        expect('"');
        while (s.charAt(i) != '"') {
            if (s.charAt(i) < 0x20) {
                throw error("control character in string");
            }
            if (s.charAt(i) == '\\') {
                i++;
            }
            i++;
        }
        i++;
    }

    private void expect(final char c) {
        if (i >= s.length() || s.charAt(i) != c) {
            throw error("expected '" + c + "'");
        }
        i++;
    }
}

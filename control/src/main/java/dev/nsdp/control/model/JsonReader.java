package dev.nsdp.control.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON reader (RFC 8259) for the control protocol and the journal. Values come back
 * as plain Java objects: an object is an ordered {@code Map<String, Object>}, an array a
 * {@code List<Object>}, a string a {@code String}, an integer a {@code Long}, any other number a
 * {@code Double}, {@code true}/{@code false} a {@code Boolean}, {@code null} null.
 *
 * <p>Strict on purpose: a request that is not exactly JSON is refused, not guessed at. No comments,
 * no trailing commas, no single quotes, no duplicate keys, no content after the value, no lone
 * surrogates, integers within a long, nesting at most {@link #MAX_DEPTH} deep. Every refusal is a
 * {@link JsonException} naming the offset and what was expected.
 */
public final class JsonReader {
    /** Deepest nesting of objects and arrays accepted; requests need four levels at most. */
    public static final int MAX_DEPTH = 32;

    private final String text;
    private int at;
    private int depth;

    private JsonReader(final String text) {
        this.text = text;
    }

    /** Parses {@code text}, which must hold exactly one JSON value (whitespace around it is allowed). */
    public static Object parse(final String text) {
        if (text == null) {
            throw new JsonException(0, "no text");
        }
        final JsonReader reader = new JsonReader(text);
        reader.skipWhitespace();
        if (reader.at == text.length()) {
            throw new JsonException(0, "empty input; expected a JSON value");
        }
        final Object value = reader.value();
        reader.skipWhitespace();
        if (reader.at != text.length()) {
            throw new JsonException(reader.at, "unexpected " + reader.describeHere() + " after the end of the JSON value");
        }
        return value;
    }

    /** Parses {@code text}, which must be a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(final String text) {
        final Object value = parse(text);
        if (!(value instanceof Map)) {
            throw new JsonException(0, "expected a JSON object ({...}), got " + JsonWriter.typeName(value));
        }
        return (Map<String, Object>) value;
    }

    private Object value() {
        skipWhitespace();
        if (at >= text.length()) {
            throw new JsonException(at, "unexpected end of input; expected a value");
        }
        final char c = text.charAt(at);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw new JsonException(at, "unexpected " + describeHere() + "; expected a value");
            }
        };
    }

    private Map<String, Object> object() {
        enter();
        at++; // '{'
        final Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            at++;
            depth--;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw new JsonException(at, "expected '\"' to start an object key, got " + describeHere());
            }
            final int keyAt = at;
            final String key = string();
            skipWhitespace();
            expect(':', "after an object key");
            final Object value = value();
            if (map.containsKey(key)) {
                throw new JsonException(keyAt, "duplicate key \"" + printable(key) + "\"");
            }
            map.put(key, value);
            skipWhitespace();
            final char c = peek();
            if (c == ',') {
                at++;
            } else if (c == '}') {
                at++;
                depth--;
                return map;
            } else {
                throw new JsonException(at, "expected ',' or '}' in an object, got " + describeHere());
            }
        }
    }

    private List<Object> array() {
        enter();
        at++; // '['
        final List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            at++;
            depth--;
            return list;
        }
        while (true) {
            list.add(value());
            skipWhitespace();
            final char c = peek();
            if (c == ',') {
                at++;
            } else if (c == ']') {
                at++;
                depth--;
                return Collections.unmodifiableList(list);
            } else {
                throw new JsonException(at, "expected ',' or ']' in an array, got " + describeHere());
            }
        }
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw new JsonException(at, "nested more than " + MAX_DEPTH + " levels deep");
        }
    }

    private String string() {
        at++; // opening quote
        final StringBuilder sb = new StringBuilder();
        while (true) {
            if (at >= text.length()) {
                throw new JsonException(at, "unterminated string; expected '\"'");
            }
            final char c = text.charAt(at);
            if (c == '"') {
                at++;
                return sb.toString();
            }
            if (c < 0x20) {
                throw new JsonException(at, "control character U+" + String.format("%04X", (int) c)
                    + " in a string; escape it");
            }
            if (c == '\\') {
                at++;
                if (at >= text.length()) {
                    throw new JsonException(at, "unterminated escape in a string");
                }
                final char e = text.charAt(at);
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case '/' -> sb.append('/');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        final char unit = hex4(at + 1);
                        at += 4;
                        if (Character.isHighSurrogate(unit)) {
                            if (at + 6 < text.length() && text.startsWith("\\u", at + 1)) {
                                final char low = hex4(at + 3);
                                if (!Character.isLowSurrogate(low)) {
                                    throw new JsonException(at + 1, "high surrogate not followed by a low surrogate");
                                }
                                sb.append(unit).append(low);
                                at += 6;
                            } else {
                                throw new JsonException(at, "high surrogate not followed by a low surrogate");
                            }
                        } else if (Character.isLowSurrogate(unit)) {
                            throw new JsonException(at - 5, "lone low surrogate");
                        } else {
                            sb.append(unit);
                        }
                    }
                    default -> throw new JsonException(at, "unknown escape '\\" + printable(String.valueOf(e)) + "'");
                }
                at++;
                continue;
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && at + 1 < text.length() && Character.isLowSurrogate(text.charAt(at + 1))) {
                    sb.append(c).append(text.charAt(at + 1));
                    at += 2;
                    continue;
                }
                throw new JsonException(at, "lone surrogate in a string");
            }
            sb.append(c);
            at++;
        }
    }

    private char hex4(final int from) {
        if (from + 4 > text.length()) {
            throw new JsonException(from, "expected four hex digits after \\u");
        }
        int value = 0;
        for (int i = from; i < from + 4; i++) {
            final int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0) {
                throw new JsonException(i, "expected a hex digit in \\u escape, got " + describe(i));
            }
            value = value * 16 + digit;
        }
        return (char) value;
    }

    private Object number() {
        final int start = at;
        if (peek() == '-') {
            at++;
        }
        if (peek() == '0') {
            at++;
            if (isDigit(peek())) {
                throw new JsonException(at, "leading zeros are not allowed in numbers");
            }
        } else if (isDigit(peek())) {
            while (isDigit(peek())) {
                at++;
            }
        } else {
            throw new JsonException(at, "expected a digit, got " + describeHere());
        }
        boolean integer = true;
        if (peek() == '.') {
            integer = false;
            at++;
            if (!isDigit(peek())) {
                throw new JsonException(at, "expected a digit after '.', got " + describeHere());
            }
            while (isDigit(peek())) {
                at++;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            integer = false;
            at++;
            if (peek() == '+' || peek() == '-') {
                at++;
            }
            if (!isDigit(peek())) {
                throw new JsonException(at, "expected a digit in the exponent, got " + describeHere());
            }
            while (isDigit(peek())) {
                at++;
            }
        }
        final String digits = text.substring(start, at);
        if (integer) {
            try {
                return Long.parseLong(digits);
            } catch (final NumberFormatException e) {
                throw new JsonException(start, "integer " + digits + " does not fit in 64 bits");
            }
        }
        final double value = Double.parseDouble(digits);
        if (Double.isInfinite(value)) {
            throw new JsonException(start, "number " + digits + " is out of range");
        }
        return value;
    }

    private Object literal(final String word, final Object value) {
        if (!text.startsWith(word, at)) {
            throw new JsonException(at, "unexpected " + describeHere() + "; expected a value (did you mean " + word + "?)");
        }
        at += word.length();
        return value;
    }

    private void expect(final char c, final String where) {
        if (peek() != c) {
            throw new JsonException(at, "expected '" + c + "' " + where + ", got " + describeHere());
        }
        at++;
    }

    private char peek() {
        return at < text.length() ? text.charAt(at) : '\0';
    }

    private static boolean isDigit(final char c) {
        return c >= '0' && c <= '9';
    }

    private void skipWhitespace() {
        while (at < text.length()) {
            final char c = text.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            at++;
        }
    }

    private String describeHere() {
        return describe(at);
    }

    private String describe(final int offset) {
        if (offset >= text.length()) {
            return "end of input";
        }
        return "'" + printable(String.valueOf(text.charAt(offset))) + "'";
    }

    /** Control characters as \\uXXXX, so an error message never carries them to a terminal. */
    static String printable(final String s) {
        final StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}

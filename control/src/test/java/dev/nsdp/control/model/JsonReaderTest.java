package dev.nsdp.control.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {
    @Test
    void readsEveryKindOfValue() {
        final Object value = JsonReader.parse(" {\"a\": [1, -2, 3.5, 1e3, true, false, null], \"b\": {\"c\": \"x\\n\\u00e9\\ud83d\\ude00\"}} ");
        final Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", Arrays.asList(1L, -2L, 3.5, 1000.0, true, false, null));
        expected.put("b", Map.of("c", "x\n\u00e9\ud83d\ude00"));
        assertEquals(expected, value);
    }

    @Test
    void writerOutputReadsBackTheSame() {
        final Map<String, Object> value = new LinkedHashMap<>();
        value.put("text", "quote \" backslash \\ newline \n tab \t control \u0001 line-sep \u2028 emoji \ud83d\ude00");
        value.put("numbers", List.of(0L, Long.MAX_VALUE, Long.MIN_VALUE, 0.25));
        value.put("nested", Map.of("empty", List.of(), "object", Map.of()));
        final String text = JsonWriter.write(value);
        assertEquals(-1, text.indexOf('\n'), "one value is one line");
        assertEquals(value, JsonReader.parse(text));
    }

    @Test
    void errorsNameTheOffsetAndWhatWasExpected() {
        assertError("{\"verb\" \"namespace.add\"}", "bad JSON at offset 8: expected ':' after an object key, got '\"'");
        assertError("{\"a\":1,}", "bad JSON at offset 7: expected '\"' to start an object key, got '}'");
        assertError("[1 2]", "bad JSON at offset 3: expected ',' or ']' in an array, got '2'");
        assertError("{\"a\":1} x", "bad JSON at offset 8: unexpected 'x' after the end of the JSON value");
        assertError("", "bad JSON at offset 0: empty input; expected a JSON value");
        assertError("{\"a\":tru}", "bad JSON at offset 5: unexpected 't'; expected a value (did you mean true?)");
        assertError("{'a':1}", "bad JSON at offset 1: expected '\"' to start an object key, got '''");
        assertError("{\"a\":01}", "bad JSON at offset 6: leading zeros are not allowed in numbers");
        assertError("{\"a\":1,\"a\":2}", "bad JSON at offset 7: duplicate key \"a\"");
        assertError("\"abc", "bad JSON at offset 4: unterminated string; expected '\"'");
        assertError("\"a\u0001\"", "bad JSON at offset 2: control character U+0001 in a string; escape it");
        assertError("\"\\x\"", "bad JSON at offset 2: unknown escape '\\x'");
        assertError("\"\\ud800\"", "bad JSON at offset 6: high surrogate not followed by a low surrogate");
        assertError("99999999999999999999", "bad JSON at offset 0: integer 99999999999999999999 does not fit in 64 bits");
        assertError("[".repeat(40), "bad JSON at offset 32: nested more than 32 levels deep");
    }

    @Test
    void parseObjectRefusesOtherValues() {
        final JsonException e = assertThrows(JsonException.class, () -> JsonReader.parseObject("[1]"));
        assertEquals("bad JSON at offset 0: expected a JSON object ({...}), got an array", e.getMessage());
    }

    private static void assertError(final String text, final String message) {
        final JsonException e = assertThrows(JsonException.class, () -> JsonReader.parse(text));
        assertEquals(message, e.getMessage());
    }
}

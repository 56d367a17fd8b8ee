package dev.nsdp.control.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strict access to the fields of one JSON object of a request: each getter names the field and the
 * request in its refusal ("field 'vlan' of vlan.map must be an integer 1..4094, got a string"), and
 * {@link #checkNoOtherFields} refuses fields the verb does not have, so a typo is an error, not a
 * silently ignored option.
 */
public final class Fields {
    private final Map<String, Object> json;
    private final String what;

    private Fields(final Map<String, Object> json, final String what) {
        this.json = json;
        this.what = what;
    }

    @SuppressWarnings("unchecked")
    public static Fields of(final Object value, final String what) {
        if (!(value instanceof Map)) {
            throw bad(what + " must be a JSON object, got " + JsonWriter.typeName(value));
        }
        return new Fields((Map<String, Object>) value, what);
    }

    public Map<String, Object> json() {
        return json;
    }

    public boolean has(final String field) {
        return json.containsKey(field) && json.get(field) != null;
    }

    public String string(final String field) {
        final String value = optionalString(field);
        if (value == null) {
            throw bad("field '" + field + "' of " + what + " is missing");
        }
        return value;
    }

    public String optionalString(final String field) {
        final Object value = json.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw bad("field '" + field + "' of " + what + " must be a string, got " + JsonWriter.typeName(value));
        }
        return s;
    }

    public long integer(final String field, final long min, final long max) {
        final Object value = json.get(field);
        if (value == null) {
            throw bad("field '" + field + "' of " + what + " is missing");
        }
        if (!(value instanceof Long l)) {
            throw bad("field '" + field + "' of " + what + " must be an integer, got " + JsonWriter.typeName(value));
        }
        if (l < min || l > max) {
            throw new ControlException(ErrorKind.INVALID, "field '" + field + "' of " + what + " is " + l
                + ", out of range " + min + ".." + max);
        }
        return l;
    }

    public boolean optionalBoolean(final String field, final boolean absent) {
        final Object value = json.get(field);
        if (value == null) {
            return absent;
        }
        if (!(value instanceof Boolean b)) {
            throw bad("field '" + field + "' of " + what + " must be true or false, got " + JsonWriter.typeName(value));
        }
        return b;
    }

    public Fields optionalObject(final String field) {
        final Object value = json.get(field);
        return value == null ? null : Fields.of(value, "field '" + field + "' of " + what);
    }

    public Fields object(final String field) {
        final Fields fields = optionalObject(field);
        if (fields == null) {
            throw bad("field '" + field + "' of " + what + " is missing");
        }
        return fields;
    }

    /** An optional array of objects (absent means empty). */
    public List<Fields> objectList(final String field) {
        final Object value = json.get(field);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw bad("field '" + field + "' of " + what + " must be an array, got " + JsonWriter.typeName(value));
        }
        final List<Fields> items = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            items.add(Fields.of(list.get(i), "item " + i + " of '" + field + "' in " + what));
        }
        return items;
    }

    /** Refuses any field not in {@code allowed}, naming the fields the request does have. */
    public void checkNoOtherFields(final String context, final String... allowed) {
        final Set<String> known = Set.of(allowed);
        for (final String key : json.keySet()) {
            if (!known.contains(key)) {
                throw bad("unknown field '" + JsonReader.printable(key) + "' in " + context + "; its fields are "
                    + String.join(", ", allowed));
            }
        }
    }

    private static ControlException bad(final String message) {
        return new ControlException(ErrorKind.BAD_REQUEST, message);
    }
}

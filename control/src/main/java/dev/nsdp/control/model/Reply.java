package dev.nsdp.control.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer to one request. On the wire, one JSON object on one line:
 * {@code {"id":7,"ok":true,"seq":42,"result":{...}}} for an accepted request ({@code seq} is the
 * journal sequence number of an accepted change, absent for reads), or
 * {@code {"id":7,"ok":false,"error":{"kind":"PERMISSION_DENIED","errno":"EPERM","code":1,"message":"..."}}}.
 * {@code id} echoes the request's id (absent if the request had none or could not be read).
 */
public record Reply(Object id, boolean ok, long sequence, Object result, ControlError error) {
    public static Reply success(final Object result, final long sequence) {
        return new Reply(null, true, sequence, result, null);
    }

    public static Reply failure(final ControlError error) {
        return new Reply(null, false, 0, null, error);
    }

    public Reply withId(final Object newId) {
        return new Reply(newId, ok, sequence, result, error);
    }

    public Map<String, Object> toJson() {
        final Map<String, Object> json = new LinkedHashMap<>();
        if (id != null) {
            json.put("id", id);
        }
        json.put("ok", ok);
        if (ok) {
            if (sequence > 0) {
                json.put("seq", sequence);
            }
            json.put("result", result == null ? Map.of() : result);
        } else {
            json.put("error", error.toJson());
        }
        return json;
    }

    /** Reads a reply line (the client side). */
    public static Reply fromJson(final String line) {
        final Fields f = Fields.of(JsonReader.parseObject(line), "reply");
        final Object id = f.json().get("id");
        final boolean ok = Boolean.TRUE.equals(f.json().get("ok"));
        if (ok) {
            final long seq = f.has("seq") ? f.integer("seq", 0, Long.MAX_VALUE) : 0;
            return new Reply(id, true, seq, f.json().get("result"), null);
        }
        final Fields e = f.object("error");
        final ErrorKind kind = ErrorKind.valueOf(e.string("kind"));
        return new Reply(id, false, 0, null,
            new ControlError(kind, e.string("errno"), (int) e.integer("code", 0, 4095), e.string("message")));
    }
}

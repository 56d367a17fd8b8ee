package dev.nsdp.control.model;

import dev.nsdp.dataplane.namespace.NamespaceException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refusal as it travels in a reply: the kind, the errno name and number (ENODEV for a missing
 * device, as the model reports it) and a message that says what was wrong and what to do.
 */
public record ControlError(ErrorKind kind, String errnoName, int errno, String message) {
    public ControlError {
        if (kind == null || errnoName == null || message == null) {
            throw new NullPointerException("kind, errnoName and message are required");
        }
    }

    public static ControlError of(final ErrorKind kind, final String message) {
        return new ControlError(kind, kind.errnoName(), kind.errno(), message);
    }

    public static ControlError of(final NamespaceException e) {
        return new ControlError(ErrorKind.of(e.kind()), e.errnoName(), e.errno(), e.detail());
    }

    /** The {@code "error"} object of a reply. */
    public Map<String, Object> toJson() {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", kind.name());
        json.put("errno", errnoName);
        json.put("code", errno);
        json.put("message", message);
        return json;
    }

    @Override
    public String toString() {
        return errnoName + " (" + kind + "): " + message;
    }
}

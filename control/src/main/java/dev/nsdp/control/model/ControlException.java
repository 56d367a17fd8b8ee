package dev.nsdp.control.model;

import dev.nsdp.dataplane.namespace.NamespaceException;

/** A request was refused; {@link #error()} is what the reply carries. Refused requests changed nothing. */
public final class ControlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ControlError error;

    public ControlException(final ControlError error) {
        super(error.toString());
        this.error = error;
    }

    public ControlException(final ErrorKind kind, final String message) {
        this(ControlError.of(kind, message));
    }

    public static ControlException of(final NamespaceException e) {
        return new ControlException(ControlError.of(e));
    }

    public ControlError error() {
        return error;
    }

    public ErrorKind kind() {
        return error.kind();
    }
}

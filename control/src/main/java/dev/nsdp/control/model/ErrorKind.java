package dev.nsdp.control.model;

import dev.nsdp.dataplane.namespace.NamespaceException;

/**
 * Why the control plane refused a request: the namespace model's own refusals (the kinds of
 * {@link NamespaceException.Kind}) plus what goes wrong before or around the model. Each kind has
 * the errno name a Linux user would expect; the CLI maps it to its exit status. A refused request
 * changed nothing.
 */
public enum ErrorKind {
    /** The request is not JSON, or not one JSON object. */
    BAD_JSON("EINVAL", 22),
    /** JSON, but not a request: unknown verb, missing or unknown field, wrong type. */
    BAD_REQUEST("EINVAL", 22),
    /** Longer than the server accepts (see the server's request-size limit). */
    TOO_LARGE("EMSGSIZE", 90),
    NOT_FOUND("ENOENT", 2),
    EXISTS("EEXIST", 17),
    PERMISSION_DENIED("EPERM", 1),
    INVALID("EINVAL", 22),
    BUSY("EBUSY", 16),
    LIMIT("ENOSPC", 28),
    /** The link, tap or memory port a port spec names cannot be opened. */
    PORT_UNAVAILABLE("ENODEV", 19),
    /** The journal cannot be written: the server refuses every change until it is restarted. */
    JOURNAL_FAILED("EIO", 5),
    /** The server is shutting down, or its request queue is full. */
    UNAVAILABLE("EAGAIN", 11),
    /** A bug: the server logged it; the request may not have been applied. */
    INTERNAL("EFAULT", 14);

    private final String errnoName;
    private final int errno;

    ErrorKind(final String errnoName, final int errno) {
        this.errnoName = errnoName;
        this.errno = errno;
    }

    public String errnoName() {
        return errnoName;
    }

    public int errno() {
        return errno;
    }

    /** The kind of a model refusal. */
    public static ErrorKind of(final NamespaceException.Kind kind) {
        return switch (kind) {
            case NOT_FOUND -> NOT_FOUND;
            case EXISTS -> EXISTS;
            case PERMISSION_DENIED -> PERMISSION_DENIED;
            case INVALID -> INVALID;
            case BUSY -> BUSY;
            case LIMIT -> LIMIT;
        };
    }
}

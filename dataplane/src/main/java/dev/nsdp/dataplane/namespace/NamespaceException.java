package dev.nsdp.dataplane.namespace;

/**
 * A namespace-model operation was refused. The {@link Kind} says which class of error it is (with the
 * errno a Linux user would expect), the message says what was wrong and what to do about it. A
 * refused operation has changed nothing: not the model, and nothing was sent to the
 * {@link ForwardingPlane}.
 */
public final class NamespaceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Classes of refusal, each with the errno name and number the kernel uses for the same case. */
    public enum Kind {
        /** A namespace (ENOENT) or a device (ENODEV) of that name does not exist where it was looked for. */
        NOT_FOUND("ENOENT", 2),
        /** The name, VLAN mapping or MAC entry is already taken. */
        EXISTS("EEXIST", 17),
        /** The caller may not do this, or the namespace's level forbids it (a level-3 parent). */
        PERMISSION_DENIED("EPERM", 1),
        /** A malformed argument, or an operation that can never succeed on this object (moving "lo"). */
        INVALID("EINVAL", 22),
        /** The object is still in use (a namespace with child namespaces). */
        BUSY("EBUSY", 16),
        /** An identifier space is exhausted (namespace ids, port indices). */
        LIMIT("ENOSPC", 28);

        private final String errnoName;
        private final int errno;

        Kind(final String errnoName, final int errno) {
            this.errnoName = errnoName;
            this.errno = errno;
        }

        public String errnoName() {
            return errnoName;
        }

        public int errno() {
            return errno;
        }
    }

    /** errno name and number of a missing device, reported as NOT_FOUND. */
    static final String ENODEV = "ENODEV";
    private static final int ENODEV_NUMBER = 19;

    private final Kind kind;
    private final String errnoName;
    private final int errno;
    private final String detail;

    public NamespaceException(final Kind kind, final String detail) {
        this(kind, kind.errnoName(), kind.errno(), detail);
    }

    private NamespaceException(final Kind kind, final String errnoName, final int errno, final String detail) {
        super(errnoName + ": " + detail);
        this.kind = kind;
        this.errnoName = errnoName;
        this.errno = errno;
        this.detail = detail;
    }

    /** NOT_FOUND for a device, reported as ENODEV like the kernel does ("Cannot find device"). */
    static NamespaceException noSuchDevice(final String detail) {
        return new NamespaceException(Kind.NOT_FOUND, ENODEV, ENODEV_NUMBER, detail);
    }

    public Kind kind() {
        return kind;
    }

    /** The errno name, e.g. "EPERM"; NOT_FOUND is "ENODEV" for devices and "ENOENT" otherwise. */
    public String errnoName() {
        return errnoName;
    }

    /** The errno number: the kind's, or 19 (ENODEV) for a missing device. */
    public int errno() {
        return errno;
    }

    /** The message without the errno prefix. */
    public String detail() {
        return detail;
    }
}

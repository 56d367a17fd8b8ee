package dev.nsdp.dataplane.nativ;

/**
 * A Linux call failed. Carries the errno and says what nsdp was doing and, where there is one,
 * what the user can do about it:
 * {@code socket(AF_PACKET, SOCK_RAW) failed: EPERM (operation not permitted): CAP_NET_ADMIN is needed: ...}.
 * Thrown only on set-up and control paths; the hot path reads {@code -errno} return values and
 * counts instead.
 */
public final class NativeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final int errno;
    private final String hint;

    /**
     * @param operation what was being done, as the user would recognise it: {@code "bind(AF_PACKET) to link 'v0'"}
     * @param errno     the positive errno value
     * @param hint      what to do about it, or null
     */
    public NativeException(final String operation, final int errno, final String hint) {
        super(message(operation, errno, hint));
        this.operation = operation;
        this.errno = errno;
        this.hint = hint;
    }

    public NativeException(final String operation, final int errno) {
        this(operation, errno, null);
    }

    /**
     * Returns {@code result} when it is not negative, else throws for {@code -result}: the bindings
     * return {@code -errno} on failure, so set-up code reads {@code int fd = check(LibC.open(...), "open ...")}.
     */
    public static int check(final int result, final String operation) {
        if (result < 0) {
            throw new NativeException(operation, -result);
        }
        return result;
    }

    public static long check(final long result, final String operation) {
        if (result < 0) {
            throw new NativeException(operation, (int) -result);
        }
        return result;
    }

    /** The errno (positive), e.g. {@link Errno#EPERM}. */
    public int errno() {
        return errno;
    }

    /** The symbolic errno name, e.g. {@code "EPERM"}. */
    public String errnoName() {
        return Errno.name(errno);
    }

    public String operation() {
        return operation;
    }

    /** What the user can do about it, or null. */
    public String hint() {
        return hint;
    }

    /** The same failure with a hint added (the caller knows the context the binding did not). */
    public NativeException withHint(final String newHint) {
        final NativeException e = new NativeException(operation, errno, newHint);
        e.setStackTrace(getStackTrace());
        return e;
    }

    private static String message(final String operation, final int errno, final String hint) {
        final String base = operation + " failed: " + Errno.name(errno) + " (" + Errno.description(errno) + ")";
        return hint == null ? base : base + ": " + hint;
    }
}

package dev.nsdp.control.kernel;

import dev.nsdp.dataplane.nativ.Errno;

/**
 * A kernel object operation failed: the kernel refused a netlink request, or a namespace could not
 * be pinned or entered. The message says what was being done, the errno by name, what the kernel
 * itself said (extended ack) when it said anything, and what to do:
 * {@code add veth 'v0' in namespace 'red' failed: EEXIST (file exists): link 'v0' already exists in
 * namespace 'red': pick another name or delete it (nsdp -n red link del dev v0)}.
 */
public final class KernelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final int errno;
    private final String kernelMessage;
    private final String hint;

    public KernelException(final String operation, final int errno, final String kernelMessage, final String hint) {
        super(message(operation, errno, kernelMessage, hint));
        this.operation = operation;
        this.errno = errno;
        this.kernelMessage = kernelMessage;
        this.hint = hint;
    }

    /** The positive errno, e.g. {@link Errno#EEXIST}. */
    public int errno() {
        return errno;
    }

    /** {@code "EEXIST"}. */
    public String errnoName() {
        return errnoName(errno);
    }

    public String operation() {
        return operation;
    }

    /** What the kernel said about the failure (netlink extended ack), or null. */
    public String kernelMessage() {
        return kernelMessage;
    }

    /** What to do about it, or null. */
    public String hint() {
        return hint;
    }

    /** Symbolic errno names, including the few netlink returns that {@link Errno} does not list. */
    public static String errnoName(final int errno) {
        return switch (errno) {
            case 18 -> "EXDEV";
            case 36 -> "ENAMETOOLONG";
            case 39 -> "ENOTEMPTY";
            case 113 -> "EHOSTUNREACH";
            case 114 -> "EALREADY";
            default -> Errno.name(errno);
        };
    }

    static String errnoDescription(final int errno) {
        return switch (errno) {
            case 18 -> "invalid cross-device link";
            case 36 -> "file name too long";
            case 39 -> "directory not empty";
            case 113 -> "no route to host";
            case 114 -> "operation already in progress";
            default -> Errno.description(errno);
        };
    }

    private static String message(final String operation, final int errno, final String kernelMessage,
                                  final String hint) {
        final StringBuilder text = new StringBuilder(operation).append(" failed: ")
            .append(errnoName(errno)).append(" (").append(errnoDescription(errno)).append(')');
        if (kernelMessage != null && !kernelMessage.isEmpty()) {
            text.append(": kernel says \"").append(kernelMessage).append('"');
        }
        if (hint != null) {
            text.append(": ").append(hint);
        }
        return text.toString();
    }
}

package dev.nsdp.dataplane.forwarder;

/**
 * The forwarder could not start (or keep) what the configuration asks for, for a reason outside the
 * file: a link that does not exist, missing privilege, a ring the kernel would not map. The message
 * says which line, what failed and what to do. Whatever the forwarder had opened before the failure
 * has been closed again when this is thrown.
 */
public final class ForwarderException extends Exception {
    private static final long serialVersionUID = 1L;

    public ForwarderException(final String message) {
        super(message);
    }

    public ForwarderException(final String message, final Throwable cause) {
        super(message, cause);
    }
}

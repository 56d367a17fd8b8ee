package dev.nsdp.control.journal;

/**
 * The journal cannot be opened, read or written. On open this stops the process from starting (a
 * journal it cannot read is never overwritten or skipped); on append the control service refuses
 * every further change until restarted.
 */
public final class JournalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JournalException(final String message) {
        super(message);
    }

    public JournalException(final String message, final Throwable cause) {
        super(message, cause);
    }
}

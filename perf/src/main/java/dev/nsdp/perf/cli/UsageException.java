package dev.nsdp.perf.cli;

/** A bad command line: the message says what is wrong and how to say it right. */
public final class UsageException extends RuntimeException {
    public UsageException(final String message) {
        super(message);
    }
}

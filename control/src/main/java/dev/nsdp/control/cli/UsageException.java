package dev.nsdp.control.cli;

/** The command line is wrong (unknown word, missing argument): exit status 2, with the usage to follow. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String usage;

    UsageException(final String message, final String usage) {
        super(message);
        this.usage = usage;
    }

    /** The usage text of the command that was being parsed, or null. */
    String usage() {
        return usage;
    }
}

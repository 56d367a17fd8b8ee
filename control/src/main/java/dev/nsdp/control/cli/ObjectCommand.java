package dev.nsdp.control.cli;

/**
 * One object of the command line ({@code link}, {@code address}, {@code netns} ...): its name as
 * typed, a one-line summary for {@code nsdp help}, its usage, and the parser of its commands.
 * New objects (the dataplane's {@code dp}) are added to {@link CommandTable} without touching
 * the others.
 */
interface ObjectCommand {
    /** The full keyword; any non-empty prefix of it selects this object unless an earlier one matches. */
    String name();

    String summary();

    String usage();

    /** Parses the words after the object keyword into an action (throws UsageException). */
    Action parse(Arguments arguments, CliContext context);
}

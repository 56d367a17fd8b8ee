package dev.nsdp.control.cli;

/** Prints a usage text; asked for with {@code help}, {@code -h} or {@code --help} at any level. */
record Help(String text) implements Action {
    static Help of(final String text) {
        return new Help(text);
    }

    @Override
    public int run(final CliContext context) {
        context.out.println(text);
        return 0;
    }
}

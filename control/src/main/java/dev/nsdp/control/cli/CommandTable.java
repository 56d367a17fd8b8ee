package dev.nsdp.control.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The objects of the command line, in the order that settles abbreviations (as in iproute2,
 * {@code a} is address, {@code l} link, {@code r} route, {@code n} netns). Table-driven, so a later
 * object ({@code dp ...}) is one more entry.
 */
final class CommandTable {
    private final List<ObjectCommand> objects = new ArrayList<>();

    CommandTable add(final ObjectCommand command) {
        objects.add(command);
        return this;
    }

    /** The standard table: the kernel objects, then the dataplane's ({@code dp}). */
    static CommandTable standard() {
        return standard(System::getenv);
    }

    /** The standard table, the dataplane object reading environment variables through {@code environment}. */
    static CommandTable standard(final UnaryOperator<String> environment) {
        return new CommandTable()
            .add(new AddressCommand())
            .add(new LinkCommand())
            .add(new RouteCommand())
            .add(new NetnsCommand())
            .add(new TuntapCommand())
            .add(new DpCommand(environment))
            .add(LabCommand.apply())
            .add(LabCommand.destroy());
    }

    /** The object {@code word} selects (full name, or a prefix of it; "addr" and "a" are address), or null. */
    ObjectCommand find(final String word) {
        for (final ObjectCommand command : objects) {
            if (Arguments.matches(word, command.name())) {
                return command;
            }
        }
        return null;
    }

    List<ObjectCommand> objects() {
        return List.copyOf(objects);
    }
}

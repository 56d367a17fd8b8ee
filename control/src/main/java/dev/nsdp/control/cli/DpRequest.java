package dev.nsdp.control.cli;

import dev.nsdp.control.model.ControlError;
import dev.nsdp.control.model.Reply;
import dev.nsdp.control.model.Request;
import java.io.IOException;
import java.io.PrintStream;

/**
 * One {@code nsdp dp} command that is one control API request: sent to the daemon, its refusal
 * reported as the daemon worded it ({@link Refused}: exit status 1), its result printed by {@code printer} (text, or
 * JSON with {@code -j}).
 *
 * @param command what the user typed, for messages ("port add eth0")
 */
record DpRequest(String command, Request request, DpOptions options, Printer printer) implements Action {
    /** Prints the result of an accepted request. */
    interface Printer {
        void print(Object result, DpOptions options, PrintStream out);
    }

    /** Changes print nothing when they succeed, as ip's do. */
    static final Printer SILENT = (result, options, out) -> {
    };

    /** The daemon refused the request (exit status 1); the message is the daemon's, with the command. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(final String command, final ControlError error) {
            super("dp " + command + ": refused by the daemon: " + error.message() + " (" + error.kind() + ", "
                + error.errnoName() + ")");
        }
    }

    @Override
    public int run(final CliContext context) {
        final Reply reply;
        try {
            reply = context.daemon(options.socket()).call(request);
        } catch (final IOException e) {
            throw new CliContext.DaemonUnreachable(options.socket().unreachable(NsdpCli.describe(e)));
        }
        if (!reply.ok()) {
            throw new Refused(command, reply.error());
        }
        printer.print(reply.result(), options, context.out);
        return NsdpCli.OK;
    }
}

package dev.nsdp.control.cli;

import dev.nsdp.dataplane.namespace.NameRules;
import dev.nsdp.dataplane.namespace.NamespaceException;
import java.util.List;

/** Reading the words of a {@code nsdp dp} command: names, keywords out of a list, the end. */
final class DpWords {
    private DpWords() {
    }

    /** The next word, the name of a {@code what} ("port"); says the naming rule when it is not one. */
    static String name(final Arguments args, final String command, final String what) {
        if (!args.hasNext() || args.helpRequested()) {
            throw new UsageException("`" + command + "` needs a " + what + " name", args.usage());
        }
        return checkName(args.next(), what, args.usage());
    }

    static String checkName(final String name, final String what, final String usage) {
        try {
            NameRules.checkName(name, what);
        } catch (final NamespaceException e) {
            throw new UsageException(e.detail(), usage);
        }
        return name;
    }

    /**
     * The keyword of {@code keywords} that {@code word} selects (in full or by prefix, the first in
     * the list winning), or an error listing them all.
     */
    static String keyword(final String word, final List<String> keywords, final String where, final String usage) {
        for (final String keyword : keywords) {
            if (Arguments.matches(word, keyword)) {
                return keyword;
            }
        }
        throw new UsageException("unknown word '" + word + "' in `" + where + "`; expected one of: "
            + String.join(", ", keywords), usage);
    }

    /** The command must end here. */
    static void end(final Arguments args, final String command) {
        if (args.hasNext()) {
            final String word = args.next();
            throw new UsageException("unexpected word '" + word + "' after `" + command + "`", args.usage());
        }
    }
}

package dev.nsdp.control.cli;

import java.util.List;

/**
 * One object of the dataplane grammar ({@code nsdp dp OBJECT ...}): {@code ns}, {@code port},
 * {@code vlan}, {@code mac}, {@code status}. Each is one entry of {@link DpCommand}'s table, so the
 * L3 objects to come ({@code addr}, {@code route}, {@code neigh}, {@code firewall}) are new entries,
 * not new branches of a switch.
 */
interface DpObject {
    /** The keyword; any non-empty prefix of it selects this object unless an earlier entry matches. */
    String name();

    /** Other full words that select it ({@code namespace} for {@code ns}); matched in full or by prefix. */
    default List<String> aliases() {
        return List.of();
    }

    String summary();

    String usage();

    /** Parses the words after the object keyword; never talks to the daemon (throws UsageException). */
    Action parse(Arguments arguments, DpOptions options);
}

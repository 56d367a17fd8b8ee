package dev.nsdp.control.cli;

import dev.nsdp.dataplane.namespace.NamespaceRegistry;

/**
 * The options of one {@code nsdp dp} command, captured when it is parsed (a batch line's options
 * belong to that line only).
 *
 * @param namespace the dataplane namespace {@code -n} named, or {@value NamespaceRegistry#ROOT_NAME}
 * @param socket    where the daemon is asked
 * @param json      {@code -j}: print what the daemon returned as JSON
 * @param pretty    {@code -p}: indented JSON
 */
record DpOptions(String namespace, DpSocket socket, boolean json, boolean pretty) {
    static final String ROOT = NamespaceRegistry.ROOT_NAME;

    /** "nsdp dp -n red " (or "nsdp dp " in root): the start of a command to suggest. */
    String commandPrefix() {
        return "nsdp dp " + (namespace.equals(ROOT) ? "" : "-n " + namespace + " ");
    }
}

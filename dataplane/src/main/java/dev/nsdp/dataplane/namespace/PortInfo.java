package dev.nsdp.dataplane.namespace;

/**
 * A read-only snapshot of one device in a namespace: a dataplane port, or the namespace's loopback.
 * Immutable; may be handed to any thread.
 *
 * @param name        the device name inside its namespace (unique there, not across namespaces)
 * @param namespace   the name of the namespace it is in
 * @param namespaceId that namespace's id
 * @param portIndex   the dataplane port index (per-port counters are keyed by it), or -1 for the loopback
 * @param adminUp     whether it is administratively up (devices are created and moved in down)
 * @param loopback    whether it is the namespace's own loopback "lo"
 */
public record PortInfo(String name, String namespace, int namespaceId, int portIndex, boolean adminUp, boolean loopback) {
}

package dev.nsdp.dataplane.namespace;

import java.util.List;

/**
 * A read-only snapshot of one namespace, for the control plane ({@code nsdp netns show}). Taken on
 * the control thread; immutable, so it may be handed to any thread.
 *
 * @param id         the namespace id the dataplane's tables and counters are keyed by (0 = root)
 * @param name       its unique name
 * @param level      L2 (full) or L3 (restricted)
 * @param parent     the parent namespace's name, or null for the root namespace
 * @param owner      the principal that may configure it without privilege
 * @param settings   its settings ("sysctls")
 * @param loopbackUp whether its own loopback "lo" is admin-up (it is created down)
 * @param children   names of its child namespaces, in creation order
 * @param ports      names of the dataplane ports in it (not counting "lo"), in the order they arrived
 */
public record NamespaceInfo(
    int id,
    String name,
    Level level,
    String parent,
    String owner,
    NamespaceSettings settings,
    boolean loopbackUp,
    List<String> children,
    List<String> ports) {

    public NamespaceInfo {
        children = List.copyOf(children);
        ports = List.copyOf(ports);
    }

    public boolean isRoot() {
        return id == NamespaceRegistry.ROOT_ID;
    }
}

package dev.nsdp.dataplane.namespace;

import dev.nsdp.dataplane.port.Port;

/**
 * What the namespace model programs once a change has been validated and accepted: the running
 * workers' forwarding state. The model calls these only for changes it has already committed, in
 * the order they happened, from one control thread; an implementation (the worker's proxy) turns
 * each call into a command the worker applies between bursts. Calls never fail for reasons of
 * configuration: every check happens in the model before.
 *
 * <p>Identifiers: namespace ids are 0..65535 (0 is the root namespace); port indices are dense
 * small integers chosen by the model (0..{@link #MAX_PORTS}-1), reused after a port is detached.
 */
public interface ForwardingPlane {
    int MAX_PORTS = 4096;
    int MAX_NAMESPACES = 65536;

    /**
     * A namespace came to life with these settings (also called for the root namespace at start). A
     * level-3 namespace has no L2 table: the worker neither learns nor switches frames in it.
     */
    void namespaceCreated(int namespaceId, Level level, NamespaceSettings settings);

    /** A namespace is gone: its ports have already been moved away (portMoved) or detached before this call. */
    void namespaceDeleted(int namespaceId);

    void settingsChanged(int namespaceId, NamespaceSettings settings);

    /** A port joins the dataplane in a namespace; frames flow only while it is admin-up and its link is up. */
    void portAttached(int portIndex, Port port, int namespaceId, boolean adminUp);

    /** A port leaves the dataplane; the worker stops polling it and forgets MACs learned on it. */
    void portDetached(int portIndex);

    /** A port now belongs to another namespace; MACs learned on it in the old one are forgotten. */
    void portMoved(int portIndex, int namespaceId);

    void portAdminState(int portIndex, boolean up);

    /**
     * On a trunk port, frames tagged with {@code vlanId} (the outer 802.1Q/802.1ad tag) belong to
     * {@code namespaceId}; -1 removes the mapping. Untagged frames keep using the port's namespace.
     */
    void vlanMapped(int portIndex, int vlanId, int namespaceId);

    void staticMacAdded(int namespaceId, long mac, int portIndex);

    void staticMacRemoved(int namespaceId, long mac);
}

package dev.nsdp.dataplane.namespace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The model's own, mutable record of one namespace. Package-private: only
 * {@link NamespaceRegistry} changes it; everyone else sees {@link NamespaceInfo} snapshots.
 */
final class Namespace {
    final int id;
    final String name;
    final Level level;
    /** Null only for the root namespace. */
    final Namespace parent;
    final String owner;
    NamespaceSettings settings = NamespaceSettings.DEFAULTS;
    /** Every namespace has its own loopback; it exists as long as the namespace and starts down. */
    boolean loopbackUp;
    /** The ports in this namespace by their name here, in the order they arrived. */
    final Map<String, AttachedPort> ports = new LinkedHashMap<>();
    /** Static MAC entries (level 2 only): MAC → the port in this namespace it is behind. */
    final Map<Long, AttachedPort> staticMacs = new LinkedHashMap<>();
    final Set<Namespace> children = new LinkedHashSet<>();

    Namespace(final int id, final String name, final Level level, final Namespace parent, final String owner) {
        this.id = id;
        this.name = name;
        this.level = level;
        this.parent = parent;
        this.owner = owner;
    }

    boolean isOwnedBy(final Caller caller) {
        return owner.equals(caller.principal());
    }

    NamespaceInfo info() {
        final ArrayList<String> childNames = new ArrayList<>(children.size());
        for (final Namespace child : children) {
            childNames.add(child.name);
        }
        return new NamespaceInfo(id, name, level, parent == null ? null : parent.name, owner, settings, loopbackUp,
            childNames, new ArrayList<>(ports.keySet()));
    }

    PortInfo loopbackInfo() {
        return new PortInfo(NamespaceRegistry.LOOPBACK_NAME, name, id, -1, loopbackUp, true);
    }

    @Override
    public String toString() {
        return "namespace '" + name + "' (id " + id + ")";
    }
}

package dev.nsdp.dataplane.namespace;

/**
 * The two kinds of namespace of the seed design (containers list, Dec 2006, "L2 and L3 intro").
 * The level is fixed when a namespace is created.
 */
public enum Level {
    /** Full set of networking objects: devices, addresses, routes, neighbours, its own L2 (MAC) table. */
    L2,
    /**
     * Restricted, address/socket level: no L2 (MAC) table of its own, so no static MAC entries, and it
     * may not create child namespaces (the seed refuses with EPERM: "level 3 namespaces are incomplete").
     */
    L3;

    /** Whether a namespace of this level may be the parent of another namespace. */
    public boolean mayCreateChildren() {
        return this == L2;
    }

    /** Whether a namespace of this level has its own MAC table (static and learned entries). */
    public boolean hasMacTable() {
        return this == L2;
    }
}

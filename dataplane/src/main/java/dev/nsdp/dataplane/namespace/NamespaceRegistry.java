package dev.nsdp.dataplane.namespace;

import dev.nsdp.dataplane.codec.MacAddress;
import dev.nsdp.dataplane.namespace.NamespaceException.Kind;
import dev.nsdp.dataplane.port.Port;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The authoritative configuration of namespaces and the devices in them: the semantics of the seed
 * documents (Linux network namespaces, 2006-2008), kept on the control side. Every change is checked
 * here first; only an accepted change is applied to the model and then announced to the
 * {@link ForwardingPlane}, in the order it happened. <b>A refused change throws
 * {@link NamespaceException} and has changed nothing</b>: every check runs before the first mutation
 * or plane call.
 *
 * <p><b>Threading.</b> One registry per dataplane, used by one control thread. It is not
 * thread-safe and takes no locks; the snapshots it returns ({@link NamespaceInfo}, {@link PortInfo} …)
 * are immutable and may be passed to other threads.
 *
 * <p><b>Journal.</b> Every mutating operation is one method with plain arguments (a {@link Caller},
 * names, numbers, a {@link Level}, a {@link NamespaceSettings}), so the control module can record
 * the call and replay it; the one live object is the {@link Port} given to {@link #addPort}, which the
 * journal describes by how the control module re-creates it.
 *
 * <h2>Semantics</h2>
 * <ul>
 * <li><b>Root.</b> The root namespace ("root", id 0, level 2, owner "root") exists from construction
 *     and can never be deleted.</li>
 * <li><b>Create.</b> A new namespace needs a level-2 parent (a level-3 parent refuses with EPERM, even
 *     for an administrator, as in the seed) and a caller that is privileged or owns the parent. An
 *     unprivileged caller may only create namespaces owned by itself. Names are unique over the
 *     whole registry ({@link NameRules}). It starts with {@link NamespaceSettings#DEFAULTS} and only
 *     a loopback, which is down.</li>
 * <li><b>Ids.</b> Namespace ids are 1..65535 (0 is root). An id freed by deletion is not reused at
 *     once: the allocator hands out the next free id after the one it handed out last, wrapping from
 *     65535 to 1 (as Linux allocates PIDs), so a counter, journal entry or queued worker command that
 *     still names a deleted namespace's id is not mistaken for a new namespace soon after. An id comes
 *     back only after the allocator has passed every other id; with all 65535 in use, creation fails
 *     with LIMIT (ENOSPC).</li>
 * <li><b>Delete.</b> Needs privilege, or owning the namespace or its parent. A namespace with child
 *     namespaces is BUSY: delete the children first (there is no recursive delete, so one call
 *     never tears down more than the caller named). Deleting removes the VLAN mappings into it and its
 *     static MACs, returns each of its ports to the root namespace (down, without VLAN mappings; if
 *     the name is taken in root the port is renamed as Linux does when it pushes devices back to
 *     init_net: {@code dev<portIndex>}, or if that is taken too the lowest free {@code dev<N>}),
 *     destroys its loopback and finally announces {@code namespaceDeleted}.</li>
 * <li><b>Loopback.</b> Each namespace has its own "lo", created down; it can be set up and down but
 *     never moved, removed or used as a port (INVALID). No other device may be called "lo".</li>
 * <li><b>Ports.</b> A port is in exactly one namespace; its name is unique within that namespace only
 *     (two namespaces may both have "eth0"). A port index (0..{@link ForwardingPlane#MAX_PORTS}-1,
 *     the lowest free one) is allocated on attach and freed on removal. Ports are attached
 *     <em>down</em>, like new Linux links, and must be set up to forward.</li>
 * <li><b>Move.</b> Moving a port needs privilege or owning <em>both</em> the source and the
 *     destination ("only the network namespace owner can move a network device"). The port
 *     disappears from the source and appears in the destination; a name already used there refuses
 *     with EXISTS (give a new name). As Linux closes a device that changes namespace, the port
 *     arrives down; its static MACs in the source and its VLAN mappings are removed (they were
 *     granted by the source's owner). Moving a port to the namespace it is already in does nothing
 *     and succeeds, as in Linux.</li>
 * <li><b>Configure.</b> Settings, device up/down, static MACs and adding or removing ports need
 *     privilege or owning the namespace.</li>
 * <li><b>Trunk VLANs.</b> On a port, tagged frames of VLAN 1..4094 may be mapped to any namespace
 *     (level 2 or 3; untagged frames stay in the port's namespace). Mapping needs privilege or owning
 *     both the port's namespace and the target, as it shows traffic to the target. One (port, VLAN)
 *     maps to one namespace: mapping it again is EXISTS until it is unmapped. Unmapping needs
 *     privilege or owning either side.</li>
 * <li><b>Static MACs.</b> Only in level-2 namespaces (a level-3 namespace has no MAC table); unicast,
 *     non-zero; behind a port of the same namespace. The same MAC may be static in several
 *     namespaces, independently.</li>
 * </ul>
 */
public final class NamespaceRegistry {
    public static final String ROOT_NAME = "root";
    public static final int ROOT_ID = 0;
    public static final String ROOT_OWNER = "root";
    public static final String LOOPBACK_NAME = "lo";
    public static final int FIRST_NAMESPACE_ID = 1;
    public static final int LAST_NAMESPACE_ID = ForwardingPlane.MAX_NAMESPACES - 1;
    public static final int MIN_VLAN_ID = 1;
    public static final int MAX_VLAN_ID = 4094;

    private static final String NAME_FALLBACK_PREFIX = "dev";
    private static final long MAC_MASK = 0xFFFF_FFFF_FFFFL;

    private final ForwardingPlane plane;
    private final Map<String, Namespace> byName = new HashMap<>();
    private final Namespace[] byId = new Namespace[ForwardingPlane.MAX_NAMESPACES];
    private final AttachedPort[] byIndex = new AttachedPort[ForwardingPlane.MAX_PORTS];
    private final Namespace root;
    /** The id handed out last; the next allocation searches from the one after it. */
    private int lastNamespaceId = ROOT_ID;
    private int portCount;

    /** Creates the registry with its root namespace, and announces the root namespace to {@code plane}. */
    public NamespaceRegistry(final ForwardingPlane plane) {
        if (plane == null) {
            throw new NullPointerException("plane");
        }
        this.plane = plane;
        this.root = new Namespace(ROOT_ID, ROOT_NAME, Level.L2, null, ROOT_OWNER);
        byName.put(ROOT_NAME, root);
        byId[ROOT_ID] = root;
        plane.namespaceCreated(ROOT_ID, Level.L2, root.settings);
    }

    // ------------------------------------------------------------------------------------------
    // Namespaces

    /** Creates a level-{@code level} namespace under root, owned by the caller. */
    public NamespaceInfo createNamespace(final Caller caller, final String name, final Level level) {
        return createNamespace(caller, name, level, ROOT_NAME, caller == null ? null : caller.principal());
    }

    /**
     * Creates namespace {@code name} of {@code level} under {@code parentName}, owned by {@code owner}.
     * It has only its loopback, down, and {@link NamespaceSettings#DEFAULTS}.
     */
    public NamespaceInfo createNamespace(
        final Caller caller, final String name, final Level level, final String parentName, final String owner) {
        checkCaller(caller);
        NameRules.checkName(name, "namespace");
        if (level == null) {
            throw new NamespaceException(Kind.INVALID, "namespace '" + name + "' needs a level: L2 (full) or L3 (restricted)");
        }
        NameRules.checkPrincipal(owner, "owner");
        final Namespace parent = namespaceNamed(parentName, "parent namespace");
        if (!parent.level.mayCreateChildren()) {
            throw new NamespaceException(Kind.PERMISSION_DENIED, "level-3 namespace '" + parent.name
                + "' may not create child namespaces; create '" + name + "' under a level-2 namespace");
        }
        if (!caller.privileged() && !parent.isOwnedBy(caller)) {
            throw new NamespaceException(Kind.PERMISSION_DENIED, caller + " may not create namespaces under '" + parent.name
                + "' (owned by '" + parent.owner + "'); only its owner or an administrator may");
        }
        if (!caller.privileged() && !owner.equals(caller.principal())) {
            throw new NamespaceException(Kind.PERMISSION_DENIED, caller + " may only create namespaces it owns itself, not owned by '"
                + owner + "'; ask an administrator to create it for '" + owner + "'");
        }
        if (byName.containsKey(name)) {
            throw new NamespaceException(Kind.EXISTS, "namespace '" + name + "' already exists; choose another name");
        }
        final int id = nextFreeNamespaceId();
        if (id < 0) {
            throw new NamespaceException(Kind.LIMIT, "all " + LAST_NAMESPACE_ID
                + " namespace ids are in use; delete a namespace before creating '" + name + "'");
        }

        final Namespace namespace = new Namespace(id, name, level, parent, owner);
        byName.put(name, namespace);
        byId[id] = namespace;
        parent.children.add(namespace);
        lastNamespaceId = id;
        plane.namespaceCreated(id, level, namespace.settings);
        return namespace.info();
    }

    /**
     * Deletes namespace {@code name}; its ports return to root (see the class comment for the order
     * and for renaming on a name clash). Returns the returned ports as they now are in root.
     */
    public List<PortInfo> deleteNamespace(final Caller caller, final String name) {
        checkCaller(caller);
        final Namespace namespace = namespaceNamed(name, "namespace");
        if (namespace == root) {
            throw new NamespaceException(Kind.INVALID, "the root namespace can never be deleted");
        }
        if (!caller.privileged() && !namespace.isOwnedBy(caller) && !namespace.parent.isOwnedBy(caller)) {
            throw new NamespaceException(Kind.PERMISSION_DENIED, caller + " may not delete namespace '" + name + "' (owned by '"
                + namespace.owner + "', parent '" + namespace.parent.name + "' owned by '" + namespace.parent.owner
                + "'); only either owner or an administrator may");
        }
        if (!namespace.children.isEmpty()) {
            final List<String> children = namespace.info().children();
            throw new NamespaceException(Kind.BUSY, "namespace '" + name + "' still has child namespaces " + children
                + "; delete them first");
        }

        // Nothing below can fail: the namespace is going, everything in it is undone in an order the
        // worker can apply step by step (no mapping or MAC ever names a port or namespace already gone).
        for (final AttachedPort port : byIndex) {
            if (port != null && port.namespace != namespace) {
                removeVlanMappingsInto(port, namespace);
            }
        }
        for (final Long mac : namespace.staticMacs.keySet()) {
            plane.staticMacRemoved(namespace.id, mac);
        }
        namespace.staticMacs.clear();
        final List<PortInfo> returned = new ArrayList<>(namespace.ports.size());
        for (final AttachedPort port : new ArrayList<>(namespace.ports.values())) {
            final String nameInRoot = root.ports.containsKey(port.name) ? fallbackNameInRoot(port) : port.name;
            relocate(port, root, nameInRoot);
            returned.add(port.info());
        }
        namespace.loopbackUp = false;
        namespace.parent.children.remove(namespace);
        byName.remove(name);
        byId[namespace.id] = null;
        plane.namespaceDeleted(namespace.id);
        return List.copyOf(returned);
    }

    /** Replaces the settings of namespace {@code name}; setting the same values again changes nothing. */
    public NamespaceInfo setSettings(final Caller caller, final String name, final NamespaceSettings settings) {
        checkCaller(caller);
        final Namespace namespace = namespaceNamed(name, "namespace");
        checkMayConfigure(caller, namespace, "change the settings of");
        if (settings == null) {
            throw new NamespaceException(Kind.INVALID, "no settings given for namespace '" + name
                + "'; start from NamespaceSettings.DEFAULTS or the current settings");
        }
        if (!settings.equals(namespace.settings)) {
            namespace.settings = settings;
            plane.settingsChanged(namespace.id, settings);
        }
        return namespace.info();
    }

    /** Sets the loopback of namespace {@code name} up or down (the model's only loopback state). */
    public PortInfo setLoopbackUp(final Caller caller, final String name, final boolean up) {
        checkCaller(caller);
        final Namespace namespace = namespaceNamed(name, "namespace");
        checkMayConfigure(caller, namespace, "set the loopback of");
        namespace.loopbackUp = up;
        return namespace.loopbackInfo();
    }

    // ------------------------------------------------------------------------------------------
    // Ports

    /**
     * Attaches a dataplane port to namespace {@code namespaceName} as {@code portName}, admin-down,
     * with the lowest free port index. The registry never closes {@code port}: after
     * {@link #removePort} the caller closes it once the worker has let go of it.
     */
    public PortInfo addPort(final Caller caller, final String namespaceName, final String portName, final Port port) {
        checkCaller(caller);
        NameRules.checkName(portName, "device");
        final Namespace namespace = namespaceNamed(namespaceName, "namespace");
        checkMayConfigure(caller, namespace, "add ports to");
        if (port == null) {
            throw new NamespaceException(Kind.INVALID, "no port given for device '" + portName + "'");
        }
        checkNameFree(namespace, portName);
        for (final AttachedPort existing : byIndex) {
            if (existing != null && existing.port == port) {
                throw new NamespaceException(Kind.EXISTS, "this port is already attached as " + existing
                    + "; remove it there first, or move it");
            }
        }
        final int index = lowestFreePortIndex();
        if (index < 0) {
            throw new NamespaceException(Kind.LIMIT, "all " + ForwardingPlane.MAX_PORTS
                + " port indices are in use; remove a port before adding '" + portName + "'");
        }

        final AttachedPort attached = new AttachedPort(index, port, portName, namespace);
        byIndex[index] = attached;
        portCount++;
        namespace.ports.put(portName, attached);
        plane.portAttached(index, port, namespace.id, false);
        return attached.info();
    }

    /**
     * Puts {@code replacement} in place of the port at {@code portIndex}, keeping everything the
     * configuration says of it: name, namespace, index, admin state, VLAN mappings and static MACs.
     * For a supervisor that reopened a port whose kernel link went away and came back (or appeared
     * for the first time): the configuration does not change, only the live object. The workers
     * forget the MACs they learned on the old one. Returns the old port, which the caller owns
     * again (to close once the workers have let go of it).
     */
    public Port replacePort(final int portIndex, final Port replacement) {
        final AttachedPort attached = portIndex >= 0 && portIndex < byIndex.length ? byIndex[portIndex] : null;
        if (attached == null || attached.port == null) {
            throw new NamespaceException(Kind.NOT_FOUND, "no port at index " + portIndex);
        }
        if (replacement == null) {
            throw new NamespaceException(Kind.INVALID, "no replacement port given for " + attached);
        }
        final Port old = attached.port;
        attached.port = replacement;
        plane.portDetached(portIndex);
        plane.portAttached(portIndex, replacement, attached.namespace.id, attached.adminUp);
        for (final Map.Entry<Integer, Namespace> vlan : attached.vlans.entrySet()) {
            plane.vlanMapped(portIndex, vlan.getKey(), vlan.getValue().id);
        }
        for (final Namespace namespace : byName.values()) {
            for (final Map.Entry<Long, AttachedPort> mac : namespace.staticMacs.entrySet()) {
                if (mac.getValue() == attached) {
                    plane.staticMacAdded(namespace.id, mac.getKey(), portIndex);
                }
            }
        }
        return old;
    }

    /** The live port at {@code portIndex}, or null: for the supervisor of kernel links, on the control thread. */
    public Port livePort(final int portIndex) {
        final AttachedPort attached = portIndex >= 0 && portIndex < byIndex.length ? byIndex[portIndex] : null;
        return attached == null ? null : attached.port;
    }

    /**
     * Detaches port {@code portName} from namespace {@code namespaceName}, dropping its static MACs and
     * VLAN mappings first. Returns the {@link Port}, which the caller owns again (to close once the
     * worker has applied the detach). The loopback cannot be removed.
     */
    public Port removePort(final Caller caller, final String namespaceName, final String portName) {
        checkCaller(caller);
        final Namespace namespace = namespaceNamed(namespaceName, "namespace");
        checkMayConfigure(caller, namespace, "remove ports from");
        if (LOOPBACK_NAME.equals(portName)) {
            throw new NamespaceException(Kind.INVALID, "the loopback 'lo' of namespace '" + namespace.name
                + "' can never be removed; it lives as long as the namespace");
        }
        final AttachedPort port = portNamed(namespace, portName);

        removeStaticMacsBehind(port);
        removeVlanMappings(port);
        namespace.ports.remove(port.name);
        byIndex[port.index] = null;
        portCount--;
        plane.portDetached(port.index);
        return port.port;
    }

    /** Moves {@code portName} from {@code sourceNamespace} to {@code targetNamespace}, keeping its name. */
    public PortInfo movePort(final Caller caller, final String portName, final String sourceNamespace, final String targetNamespace) {
        return movePort(caller, portName, sourceNamespace, targetNamespace, portName);
    }

    /**
     * Moves {@code portName} from {@code sourceNamespace} to {@code targetNamespace}, where it will be
     * called {@code newName} (as {@code ip link set DEV netns NS name NEW}). See the class comment: it
     * arrives down, without its source static MACs and its VLAN mappings. A move into the namespace
     * the port is already in changes nothing and succeeds (as in Linux), unless it asks for a new
     * name: that is INVALID, since a move cannot rename in place.
     */
    public PortInfo movePort(final Caller caller, final String portName, final String sourceNamespace,
        final String targetNamespace, final String newName) {
        checkCaller(caller);
        final Namespace source = namespaceNamed(sourceNamespace, "source namespace");
        final Namespace target = namespaceNamed(targetNamespace, "target namespace");
        // Permission before looking the device up: a caller may not probe the devices of a namespace it
        // does not own (that would break the isolation a namespace is for).
        if (!caller.privileged() && !(source.isOwnedBy(caller) && target.isOwnedBy(caller))) {
            throw new NamespaceException(Kind.PERMISSION_DENIED, caller + " may not move devices from '" + source.name
                + "' (owned by '" + source.owner + "') to '" + target.name + "' (owned by '" + target.owner
                + "'); only the owner of both, or an administrator, may move a device");
        }
        if (LOOPBACK_NAME.equals(portName)) {
            throw new NamespaceException(Kind.INVALID, "the loopback 'lo' of namespace '" + source.name
                + "' can never be moved; every namespace has its own");
        }
        final AttachedPort port = portNamed(source, portName);
        NameRules.checkName(newName, "new device");
        if (source == target) {
            if (!newName.equals(portName)) {
                throw new NamespaceException(Kind.INVALID, "'" + portName + "' is already in namespace '" + target.name
                    + "'; a move there cannot rename it");
            }
            return port.info();
        }
        checkNameFree(target, newName);

        relocate(port, target, newName);
        return port.info();
    }

    /** Sets a device up or down; "lo" is the namespace's loopback. Setting the current state changes nothing. */
    public PortInfo setPortUp(final Caller caller, final String namespaceName, final String portName, final boolean up) {
        if (LOOPBACK_NAME.equals(portName)) {
            return setLoopbackUp(caller, namespaceName, up);
        }
        checkCaller(caller);
        final Namespace namespace = namespaceNamed(namespaceName, "namespace");
        checkMayConfigure(caller, namespace, "set devices up or down in");
        final AttachedPort port = portNamed(namespace, portName);
        if (port.adminUp != up) {
            port.adminUp = up;
            plane.portAdminState(port.index, up);
        }
        return port.info();
    }

    // ------------------------------------------------------------------------------------------
    // Trunk VLANs

    /** Frames on trunk {@code portName} tagged {@code vlanId} will belong to {@code targetNamespace}. */
    public VlanMappingInfo mapVlan(final Caller caller, final String namespaceName, final String portName, final int vlanId,
        final String targetNamespace) {
        checkCaller(caller);
        checkVlanId(vlanId);
        final Namespace namespace = namespaceNamed(namespaceName, "namespace");
        final Namespace target = namespaceNamed(targetNamespace, "target namespace");
        if (!caller.privileged() && !(namespace.isOwnedBy(caller) && target.isOwnedBy(caller))) {
            throw new NamespaceException(Kind.PERMISSION_DENIED, caller + " may not map VLANs of ports in '" + namespace.name
                + "' (owned by '" + namespace.owner + "') to '" + target.name + "' (owned by '" + target.owner
                + "'); only the owner of both, or an administrator, may");
        }
        final AttachedPort port = trunkPortNamed(namespace, portName);
        final Namespace existing = port.vlans.get(vlanId);
        if (existing != null) {
            throw new NamespaceException(Kind.EXISTS, "VLAN " + vlanId + " on '" + portName + "' in '" + namespace.name
                + "' already maps to namespace '" + existing.name + "'; unmap it first");
        }

        port.vlans.put(vlanId, target);
        plane.vlanMapped(port.index, vlanId, target.id);
        return new VlanMappingInfo(namespace.name, port.name, vlanId, target.name);
    }

    /** Removes the mapping of VLAN {@code vlanId} on trunk {@code portName}. */
    public void unmapVlan(final Caller caller, final String namespaceName, final String portName, final int vlanId) {
        checkCaller(caller);
        checkVlanId(vlanId);
        final Namespace namespace = namespaceNamed(namespaceName, "namespace");
        if (!caller.privileged() && !namespace.isOwnedBy(caller)) {
            // Only the owner of the mapping's target may still unmap it. Any other caller gets the same
            // refusal whether or not the port and mapping exist, so it learns nothing about them.
            final AttachedPort port = portName == null ? null : namespace.ports.get(portName);
            final Namespace target = port == null ? null : port.vlans.get(vlanId);
            if (target == null || !target.isOwnedBy(caller)) {
                throw new NamespaceException(Kind.PERMISSION_DENIED, caller + " may not unmap VLANs of ports in '"
                    + namespace.name + "' (owned by '" + namespace.owner
                    + "'); only its owner, the owner of the mapping's target, or an administrator, may");
            }
        }
        final AttachedPort port = trunkPortNamed(namespace, portName);
        final Namespace target = port.vlans.get(vlanId);
        if (target == null) {
            throw new NamespaceException(Kind.NOT_FOUND, "VLAN " + vlanId + " on '" + portName + "' in '" + namespace.name
                + "' is not mapped to any namespace");
        }

        port.vlans.remove(vlanId);
        plane.vlanMapped(port.index, vlanId, -1);
    }

    // ------------------------------------------------------------------------------------------
    // Static MACs

    /** Adds a static entry: in level-2 namespace {@code namespaceName}, {@code mac} is behind {@code portName}. */
    public StaticMacInfo addStaticMac(final Caller caller, final String namespaceName, final long mac, final String portName) {
        checkCaller(caller);
        final Namespace namespace = namespaceNamed(namespaceName, "namespace");
        checkMayConfigure(caller, namespace, "add static MACs to");
        checkHasMacTable(namespace);
        checkStaticMac(mac);
        if (LOOPBACK_NAME.equals(portName)) {
            throw new NamespaceException(Kind.INVALID, "a static MAC cannot point at the loopback 'lo'; name a port of namespace '"
                + namespace.name + "'");
        }
        final AttachedPort port = portNamed(namespace, portName);
        final AttachedPort existing = namespace.staticMacs.get(mac);
        if (existing != null) {
            throw new NamespaceException(Kind.EXISTS, "MAC " + MacAddress.format(mac) + " is already a static entry on '"
                + existing.name + "' in namespace '" + namespace.name + "'; remove it first");
        }

        namespace.staticMacs.put(mac, port);
        plane.staticMacAdded(namespace.id, mac, port.index);
        return new StaticMacInfo(namespace.name, mac, port.name);
    }

    /** Removes the static entry for {@code mac} from namespace {@code namespaceName}. */
    public void removeStaticMac(final Caller caller, final String namespaceName, final long mac) {
        checkCaller(caller);
        final Namespace namespace = namespaceNamed(namespaceName, "namespace");
        checkMayConfigure(caller, namespace, "remove static MACs from");
        checkHasMacTable(namespace);
        if (!namespace.staticMacs.containsKey(mac)) {
            throw new NamespaceException(Kind.NOT_FOUND, "namespace '" + namespace.name + "' has no static entry for "
                + formatAnyMac(mac));
        }

        namespace.staticMacs.remove(mac);
        plane.staticMacRemoved(namespace.id, mac);
    }

    // ------------------------------------------------------------------------------------------
    // Read-only views (snapshots; they allocate)

    /** All namespaces, root first, then by id. */
    public List<NamespaceInfo> namespaces() {
        final List<NamespaceInfo> all = new ArrayList<>(byName.size());
        for (final Namespace namespace : byId) {
            if (namespace != null) {
                all.add(namespace.info());
            }
        }
        return all;
    }

    /** The namespace called {@code name}; NOT_FOUND if there is none. */
    public NamespaceInfo namespace(final String name) {
        return namespaceNamed(name, "namespace").info();
    }

    public Optional<NamespaceInfo> findNamespace(final String name) {
        final Namespace namespace = name == null ? null : byName.get(name);
        return namespace == null ? Optional.empty() : Optional.of(namespace.info());
    }

    /** The namespace with this id (for labelling per-namespace counters). */
    public Optional<NamespaceInfo> namespaceById(final int id) {
        if (id < 0 || id >= byId.length || byId[id] == null) {
            return Optional.empty();
        }
        return Optional.of(byId[id].info());
    }

    public int namespaceCount() {
        return byName.size();
    }

    /** The dataplane ports in namespace {@code namespaceName}, in the order they arrived (not "lo"). */
    public List<PortInfo> ports(final String namespaceName) {
        final Namespace namespace = namespaceNamed(namespaceName, "namespace");
        final List<PortInfo> ports = new ArrayList<>(namespace.ports.size());
        for (final AttachedPort port : namespace.ports.values()) {
            ports.add(port.info());
        }
        return ports;
    }

    /** Every device visible in namespace {@code namespaceName}: its loopback first, then its ports. */
    public List<PortInfo> devices(final String namespaceName) {
        final Namespace namespace = namespaceNamed(namespaceName, "namespace");
        final List<PortInfo> devices = new ArrayList<>(namespace.ports.size() + 1);
        devices.add(namespace.loopbackInfo());
        for (final AttachedPort port : namespace.ports.values()) {
            devices.add(port.info());
        }
        return devices;
    }

    /**
     * Device {@code portName} as seen from namespace {@code namespaceName} ("lo" is its loopback).
     * A port in another namespace is not visible here: NOT_FOUND (ENODEV).
     */
    public PortInfo port(final String namespaceName, final String portName) {
        final Namespace namespace = namespaceNamed(namespaceName, "namespace");
        if (LOOPBACK_NAME.equals(portName)) {
            return namespace.loopbackInfo();
        }
        return portNamed(namespace, portName).info();
    }

    /** The port with this index, wherever it is (for labelling per-port counters). */
    public Optional<PortInfo> portByIndex(final int portIndex) {
        if (portIndex < 0 || portIndex >= byIndex.length || byIndex[portIndex] == null) {
            return Optional.empty();
        }
        return Optional.of(byIndex[portIndex].info());
    }

    /** Ports attached in all namespaces together. */
    public int portCount() {
        return portCount;
    }

    /** The static MAC entries of namespace {@code namespaceName}, in the order they were added. */
    public List<StaticMacInfo> staticMacs(final String namespaceName) {
        final Namespace namespace = namespaceNamed(namespaceName, "namespace");
        final List<StaticMacInfo> macs = new ArrayList<>(namespace.staticMacs.size());
        for (final Map.Entry<Long, AttachedPort> entry : namespace.staticMacs.entrySet()) {
            macs.add(new StaticMacInfo(namespace.name, entry.getKey(), entry.getValue().name));
        }
        return macs;
    }

    /** The VLAN mappings on the ports of namespace {@code namespaceName}, by port index then VLAN. */
    public List<VlanMappingInfo> vlanMappings(final String namespaceName) {
        final Namespace namespace = namespaceNamed(namespaceName, "namespace");
        final List<AttachedPort> ports = new ArrayList<>(namespace.ports.values());
        ports.sort(Comparator.comparingInt(port -> port.index));
        final List<VlanMappingInfo> mappings = new ArrayList<>();
        for (final AttachedPort port : ports) {
            for (final Map.Entry<Integer, Namespace> entry : port.vlans.entrySet()) {
                mappings.add(new VlanMappingInfo(namespace.name, port.name, entry.getKey(), entry.getValue().name));
            }
        }
        return mappings;
    }

    // ------------------------------------------------------------------------------------------
    // Checks: each throws before anything has changed

    private static void checkCaller(final Caller caller) {
        if (caller == null) {
            throw new NamespaceException(Kind.INVALID, "no caller given; every change names who asks for it");
        }
    }

    private Namespace namespaceNamed(final String name, final String what) {
        if (name == null || name.isEmpty()) {
            throw new NamespaceException(Kind.INVALID, what + " name is missing");
        }
        final Namespace namespace = byName.get(name);
        if (namespace == null) {
            throw new NamespaceException(Kind.NOT_FOUND, what + " '" + NameRules.printable(name)
                + "' does not exist; list namespaces to check the name, or create it first");
        }
        return namespace;
    }

    private static AttachedPort portNamed(final Namespace namespace, final String portName) {
        final AttachedPort port = portName == null ? null : namespace.ports.get(portName);
        if (port == null) {
            throw NamespaceException.noSuchDevice("namespace '" + namespace.name + "' has no device '"
                + (portName == null ? "" : NameRules.printable(portName)) + "'; list its devices to check the name");
        }
        return port;
    }

    private static AttachedPort trunkPortNamed(final Namespace namespace, final String portName) {
        if (LOOPBACK_NAME.equals(portName)) {
            throw new NamespaceException(Kind.INVALID, "the loopback 'lo' carries no VLANs; name a port of namespace '"
                + namespace.name + "'");
        }
        return portNamed(namespace, portName);
    }

    private static void checkNameFree(final Namespace namespace, final String portName) {
        if (LOOPBACK_NAME.equals(portName)) {
            throw new NamespaceException(Kind.EXISTS, "namespace '" + namespace.name
                + "' already has a device 'lo' (its own loopback); choose another name");
        }
        if (namespace.ports.containsKey(portName)) {
            throw new NamespaceException(Kind.EXISTS, "namespace '" + namespace.name + "' already has a device '" + portName
                + "'; choose another name");
        }
    }

    private static void checkMayConfigure(final Caller caller, final Namespace namespace, final String action) {
        if (!caller.privileged() && !namespace.isOwnedBy(caller)) {
            throw new NamespaceException(Kind.PERMISSION_DENIED, caller + " may not " + action + " namespace '" + namespace.name
                + "' (owned by '" + namespace.owner + "'); only its owner or an administrator may");
        }
    }

    private static void checkVlanId(final int vlanId) {
        if (vlanId < MIN_VLAN_ID || vlanId > MAX_VLAN_ID) {
            throw new NamespaceException(Kind.INVALID, "VLAN id " + vlanId + " is out of range; use " + MIN_VLAN_ID + ".."
                + MAX_VLAN_ID + " (0 and 4095 are reserved by 802.1Q)");
        }
    }

    private static void checkHasMacTable(final Namespace namespace) {
        if (!namespace.level.hasMacTable()) {
            throw new NamespaceException(Kind.INVALID, "namespace '" + namespace.name
                + "' is level 3 and has no MAC table; static MAC entries need a level-2 namespace");
        }
    }

    private static void checkStaticMac(final long mac) {
        if ((mac & ~MAC_MASK) != 0) {
            throw new NamespaceException(Kind.INVALID, "0x" + Long.toHexString(mac)
                + " is not a MAC address; it must fit in 48 bits");
        }
        if (mac == 0) {
            throw new NamespaceException(Kind.INVALID, "00:00:00:00:00:00 cannot be a static entry; give a unicast MAC");
        }
        if (MacAddress.isMulticast(mac)) {
            throw new NamespaceException(Kind.INVALID, MacAddress.format(mac)
                + " is a group (multicast or broadcast) address; static entries are unicast MACs");
        }
    }

    private static String formatAnyMac(final long mac) {
        return (mac & ~MAC_MASK) == 0 ? MacAddress.format(mac) : "0x" + Long.toHexString(mac);
    }

    // ------------------------------------------------------------------------------------------
    // Changes that can no longer fail

    /** Moves an already-checked port to {@code target} as {@code newName}: the shared step of move and delete. */
    private void relocate(final AttachedPort port, final Namespace target, final String newName) {
        removeStaticMacsBehind(port);
        removeVlanMappings(port);
        if (port.adminUp) {
            port.adminUp = false;
            plane.portAdminState(port.index, false);
        }
        port.namespace.ports.remove(port.name);
        port.namespace = target;
        port.name = newName;
        target.ports.put(newName, port);
        plane.portMoved(port.index, target.id);
    }

    private void removeStaticMacsBehind(final AttachedPort port) {
        final Namespace namespace = port.namespace;
        final var entries = namespace.staticMacs.entrySet().iterator();
        while (entries.hasNext()) {
            final Map.Entry<Long, AttachedPort> entry = entries.next();
            if (entry.getValue() == port) {
                entries.remove();
                plane.staticMacRemoved(namespace.id, entry.getKey());
            }
        }
    }

    private void removeVlanMappings(final AttachedPort port) {
        for (final Integer vlanId : port.vlans.keySet()) {
            plane.vlanMapped(port.index, vlanId, -1);
        }
        port.vlans.clear();
    }

    private void removeVlanMappingsInto(final AttachedPort port, final Namespace target) {
        final var entries = port.vlans.entrySet().iterator();
        while (entries.hasNext()) {
            final Map.Entry<Integer, Namespace> entry = entries.next();
            if (entry.getValue() == target) {
                entries.remove();
                plane.vlanMapped(port.index, entry.getKey(), -1);
            }
        }
    }

    /**
     * The name a port returning to root takes when its own is taken there, as Linux's
     * default_device_exit does: "dev" + its index, or else the lowest free "dev" + N. There are at
     * most MAX_PORTS ports, so some N below MAX_PORTS + 1 is always free.
     */
    private String fallbackNameInRoot(final AttachedPort port) {
        final String byIndexName = NAME_FALLBACK_PREFIX + port.index;
        if (!root.ports.containsKey(byIndexName)) {
            return byIndexName;
        }
        for (int n = 0; ; n++) {
            final String candidate = NAME_FALLBACK_PREFIX + n;
            if (!root.ports.containsKey(candidate)) {
                return candidate;
            }
        }
    }

    private int nextFreeNamespaceId() {
        int candidate = lastNamespaceId;
        for (int tried = 0; tried < LAST_NAMESPACE_ID; tried++) {
            candidate = candidate >= LAST_NAMESPACE_ID ? FIRST_NAMESPACE_ID : candidate + 1;
            if (byId[candidate] == null) {
                return candidate;
            }
        }
        return -1;
    }

    private int lowestFreePortIndex() {
        for (int index = 0; index < byIndex.length; index++) {
            if (byIndex[index] == null) {
                return index;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------------------------------
    // Self-check for tests

    /**
     * Verifies the model's invariants (every port in exactly one namespace under its name, static
     * MACs behind ports of their own namespace, mappings into live namespaces, parent/child links);
     * throws IllegalStateException naming the first one broken. For tests; walks everything.
     */
    void checkInvariants() {
        int ports = 0;
        for (final AttachedPort port : byIndex) {
            if (port == null) {
                continue;
            }
            ports++;
            if (port.namespace.ports.get(port.name) != port) {
                throw new IllegalStateException(port + " is not listed under its name in its namespace");
            }
            if (byId[port.namespace.id] != port.namespace) {
                throw new IllegalStateException(port + " is in a namespace that is not registered");
            }
            for (final Namespace target : port.vlans.values()) {
                if (byId[target.id] != target) {
                    throw new IllegalStateException(port + " maps a VLAN into deleted " + target);
                }
            }
        }
        if (ports != portCount) {
            throw new IllegalStateException("port count " + portCount + " but " + ports + " attached");
        }
        int listed = 0;
        for (final Namespace namespace : byName.values()) {
            if (byId[namespace.id] != namespace) {
                throw new IllegalStateException(namespace + " is registered by name but not by id");
            }
            if (namespace != root && (namespace.parent == null || !namespace.parent.children.contains(namespace))) {
                throw new IllegalStateException(namespace + " is not a child of its parent");
            }
            for (final Namespace child : namespace.children) {
                if (child.parent != namespace || byName.get(child.name) != child) {
                    throw new IllegalStateException(namespace + " lists a stale child " + child);
                }
            }
            if (namespace.ports.containsKey(LOOPBACK_NAME)) {
                throw new IllegalStateException(namespace + " has a port named like its loopback");
            }
            for (final Map.Entry<String, AttachedPort> entry : namespace.ports.entrySet()) {
                final AttachedPort port = entry.getValue();
                if (port.namespace != namespace || !port.name.equals(entry.getKey()) || byIndex[port.index] != port) {
                    throw new IllegalStateException(namespace + " lists " + port + " that is not there");
                }
                listed++;
            }
            if (!namespace.staticMacs.isEmpty() && !namespace.level.hasMacTable()) {
                throw new IllegalStateException(namespace + " is level 3 but has static MACs");
            }
            for (final AttachedPort port : namespace.staticMacs.values()) {
                if (port.namespace != namespace || byIndex[port.index] != port) {
                    throw new IllegalStateException(namespace + " has a static MAC behind " + port);
                }
            }
        }
        if (listed != portCount) {
            throw new IllegalStateException(listed + " ports listed in namespaces but " + portCount + " attached");
        }
        for (int id = 0; id < byId.length; id++) {
            if (byId[id] != null && (byId[id].id != id || byName.get(byId[id].name) != byId[id])) {
                throw new IllegalStateException("id " + id + " names " + byId[id] + " which is not registered by name");
            }
        }
    }
}

package dev.nsdp.control.model;

import dev.nsdp.dataplane.codec.MacAddress;
import dev.nsdp.dataplane.namespace.Level;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One control-plane request: one small record per verb, each carrying exactly the plain arguments
 * of the {@link dev.nsdp.dataplane.namespace.NamespaceRegistry} call it stands for (plus, for a port,
 * the {@link PortSpec} that says how to open it). The same JSON shape travels on the control socket
 * and is stored in the journal ({@link RequestCodec}); {@link #toJson()} writes it.
 *
 * <p>Changes ({@link #isChange()}) are journaled and applied in order by the control thread; the
 * others only read.
 */
public sealed interface Request {
    /** The verb on the wire, e.g. "namespace.add". */
    String verb();

    /** Whether the request changes configuration (and is therefore journaled). */
    default boolean isChange() {
        return true;
    }

    /** The request as a protocol/journal JSON object: {@code "verb"} first, then the fields. */
    default Map<String, Object> toJson() {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("verb", verb());
        writeFields(json);
        return json;
    }

    /** Adds this request's fields (not the verb) to {@code json}; optional fields that are absent are left out. */
    void writeFields(Map<String, Object> json);

    // ------------------------------------------------------------------------------------------
    // Namespaces

    /** {@code namespace.add}: create {@code name}; level L2 by default, under root by default, owned by the caller by default. */
    record AddNamespace(String name, Level level, String parent, String owner) implements Request {
        public String verb() {
            return "namespace.add";
        }

        public void writeFields(final Map<String, Object> json) {
            json.put("name", name);
            json.put("level", level.name());
            putIfPresent(json, "parent", parent);
            putIfPresent(json, "owner", owner);
        }
    }

    /** {@code namespace.delete}: delete {@code name}; its ports return to root. */
    record DeleteNamespace(String name) implements Request {
        public String verb() {
            return "namespace.delete";
        }

        public void writeFields(final Map<String, Object> json) {
            json.put("name", name);
        }
    }

    /**
     * {@code namespace.set}: change one or more settings at once, by their names in
     * {@link dev.nsdp.dataplane.namespace.NamespaceSettings} (values as text: "on", "32" ...).
     */
    record SetNamespace(String name, Map<String, String> settings) implements Request {
        public SetNamespace {
            settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        }

        public String verb() {
            return "namespace.set";
        }

        public void writeFields(final Map<String, Object> json) {
            json.put("name", name);
            json.put("settings", new LinkedHashMap<String, Object>(settings));
        }
    }

    /** {@code namespace.import}: create a namespace from an exported document, all of it or nothing. */
    record ImportNamespace(NamespaceState state) implements Request {
        public String verb() {
            return "namespace.import";
        }

        public void writeFields(final Map<String, Object> json) {
            json.put("namespace", state.toJson());
        }
    }

    // ------------------------------------------------------------------------------------------
    // Ports

    /** {@code port.add}: open the port {@code spec} describes and attach it to {@code namespace} as {@code name} (down). */
    record AddPort(String namespace, String name, PortSpec spec) implements Request {
        public String verb() {
            return "port.add";
        }

        public void writeFields(final Map<String, Object> json) {
            json.put("namespace", namespace);
            json.put("name", name);
            json.put("kind", spec.kind().wireName());
            json.put("link", spec.link());
            putIfPresent(json, "netns", spec.kernelNamespace());
        }
    }

    /** {@code port.delete}: detach port {@code name} and close it. */
    record DeletePort(String namespace, String name) implements Request {
        public String verb() {
            return "port.delete";
        }

        public void writeFields(final Map<String, Object> json) {
            json.put("namespace", namespace);
            json.put("name", name);
        }
    }

    /** {@code port.up} / {@code port.down}: set a device (a port, or "lo") up or down. */
    record SetPortUp(String namespace, String name, boolean up) implements Request {
        public String verb() {
            return up ? "port.up" : "port.down";
        }

        public void writeFields(final Map<String, Object> json) {
            json.put("namespace", namespace);
            json.put("name", name);
        }
    }

    /** {@code port.move}: move port {@code name} to namespace {@code to}, optionally renamed to {@code newName}. */
    record MovePort(String namespace, String name, String to, String newName) implements Request {
        public String verb() {
            return "port.move";
        }

        public void writeFields(final Map<String, Object> json) {
            json.put("namespace", namespace);
            json.put("name", name);
            json.put("to", to);
            putIfPresent(json, "newName", newName);
        }
    }

    // ------------------------------------------------------------------------------------------
    // VLANs and static MACs

    /** {@code vlan.map}: tagged frames of {@code vlan} on trunk {@code port} belong to namespace {@code to}. */
    record MapVlan(String namespace, String port, int vlan, String to) implements Request {
        public String verb() {
            return "vlan.map";
        }

        public void writeFields(final Map<String, Object> json) {
            json.put("namespace", namespace);
            json.put("port", port);
            json.put("vlan", (long) vlan);
            json.put("to", to);
        }
    }

    /** {@code vlan.unmap}: remove the mapping of {@code vlan} on trunk {@code port}. */
    record UnmapVlan(String namespace, String port, int vlan) implements Request {
        public String verb() {
            return "vlan.unmap";
        }

        public void writeFields(final Map<String, Object> json) {
            json.put("namespace", namespace);
            json.put("port", port);
            json.put("vlan", (long) vlan);
        }
    }

    /** {@code mac.add}: a static MAC entry behind {@code port}. */
    record AddStaticMac(String namespace, long mac, String port) implements Request {
        public String verb() {
            return "mac.add";
        }

        public void writeFields(final Map<String, Object> json) {
            json.put("namespace", namespace);
            json.put("mac", MacAddress.format(mac));
            json.put("port", port);
        }
    }

    /** {@code mac.delete}: remove a static MAC entry. */
    record DeleteStaticMac(String namespace, long mac) implements Request {
        public String verb() {
            return "mac.delete";
        }

        public void writeFields(final Map<String, Object> json) {
            json.put("namespace", namespace);
            json.put("mac", MacAddress.format(mac));
        }
    }

    // ------------------------------------------------------------------------------------------
    // Reads

    /** A request that only reads: never journaled, never changes anything. */
    sealed interface Query extends Request {
        @Override
        default boolean isChange() {
            return false;
        }
    }

    /** {@code namespace.list}: the namespaces the caller may see (all for an administrator, its own otherwise). */
    record ListNamespaces() implements Query {
        public String verb() {
            return "namespace.list";
        }

        public void writeFields(final Map<String, Object> json) {
        }
    }

    /** {@code namespace.show}: one namespace with its devices, VLAN mappings and static MACs. */
    record ShowNamespace(String name) implements Query {
        public String verb() {
            return "namespace.show";
        }

        public void writeFields(final Map<String, Object> json) {
            json.put("name", name);
        }
    }

    /** {@code namespace.export}: the whole state of one namespace, as {@code namespace.import} takes it. */
    record ExportNamespace(String name) implements Query {
        public String verb() {
            return "namespace.export";
        }

        public void writeFields(final Map<String, Object> json) {
            json.put("name", name);
        }
    }

    /** {@code port.list}: the devices of a namespace ("lo" first). */
    record ListPorts(String namespace) implements Query {
        public String verb() {
            return "port.list";
        }

        public void writeFields(final Map<String, Object> json) {
            json.put("namespace", namespace);
        }
    }

    /** {@code vlan.list}: the VLAN mappings on a namespace's ports. */
    record ListVlans(String namespace) implements Query {
        public String verb() {
            return "vlan.list";
        }

        public void writeFields(final Map<String, Object> json) {
            json.put("namespace", namespace);
        }
    }

    /** {@code mac.list}: a namespace's static MAC entries. */
    record ListStaticMacs(String namespace) implements Query {
        public String verb() {
            return "mac.list";
        }

        public void writeFields(final Map<String, Object> json) {
            json.put("namespace", namespace);
        }
    }

    /** {@code namespace.stats}: the forwarding counters of a namespace and of each of its ports. */
    record NamespaceStats(String name) implements Query {
        public String verb() {
            return "namespace.stats";
        }

        public void writeFields(final Map<String, Object> json) {
            json.put("name", name);
        }
    }

    /** {@code status}: who the server thinks the caller is, the journal's format and position. */
    record Status() implements Query {
        public String verb() {
            return "status";
        }

        public void writeFields(final Map<String, Object> json) {
        }
    }

    private static void putIfPresent(final Map<String, Object> json, final String key, final Object value) {
        if (value != null) {
            json.put(key, value);
        }
    }
}

package dev.nsdp.control.model;

import dev.nsdp.dataplane.codec.MacAddress;
import dev.nsdp.dataplane.namespace.Level;
import dev.nsdp.dataplane.namespace.NamespaceSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole state of one namespace, as {@code namespace.export} writes it and {@code namespace.import}
 * reads it: the seeds' migration ("take your addresses with you"). It holds what the namespace owns:
 * its settings, its loopback state, its ports (by spec, with their admin state), the VLAN mappings
 * on its ports and its static MACs. VLAN mappings name their target namespace by name; on import
 * that namespace must exist. Port indices and the namespace id are not part of it: the importing
 * dataplane allocates its own.
 *
 * <p>JSON ({@link #FORMAT} 1):
 * <pre>{"format":1,"name":"red","level":"L2","parent":"root","owner":"alice",
 *  "settings":{"forwarding":true,"default-ttl":64,"mac-aging":300,"mac-limit":8192},
 *  "loopbackUp":false,
 *  "ports":[{"name":"eth0","kind":"afpacket","link":"veth-red","netns":"lab","up":true}],
 *  "vlans":[{"port":"eth0","vlan":100,"to":"blue"}],
 *  "macs":[{"mac":"02:00:00:00:00:01","port":"eth0"}]}</pre>
 */
public record NamespaceState(
    String name,
    Level level,
    String parent,
    String owner,
    NamespaceSettings settings,
    boolean loopbackUp,
    List<PortState> ports,
    List<VlanState> vlans,
    List<MacState> macs) {

    /** Version of the export document; import refuses other versions. */
    public static final int FORMAT = 1;

    public NamespaceState {
        ports = List.copyOf(ports);
        vlans = List.copyOf(vlans);
        macs = List.copyOf(macs);
    }

    /** A port of the namespace, how to open it, and whether it is up. */
    public record PortState(String name, PortSpec spec, boolean up) {
    }

    /** A VLAN mapping on one of the namespace's ports. */
    public record VlanState(String port, int vlan, String to) {
    }

    /** A static MAC entry of the namespace. */
    public record MacState(long mac, String port) {
    }

    /** The same state under another name (import next to the original, or rename on migration). */
    public NamespaceState withName(final String newName) {
        return new NamespaceState(newName, level, parent, owner, settings, loopbackUp, ports, vlans, macs);
    }

    public Map<String, Object> toJson() {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", (long) FORMAT);
        json.put("name", name);
        json.put("level", level.name());
        if (parent != null) {
            json.put("parent", parent);
        }
        json.put("owner", owner);
        json.put("settings", settingsJson(settings));
        json.put("loopbackUp", loopbackUp);
        final List<Object> portList = new ArrayList<>();
        for (final PortState port : ports) {
            final Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", port.name());
            p.put("kind", port.spec().kind().wireName());
            p.put("link", port.spec().link());
            if (port.spec().kernelNamespace() != null) {
                p.put("netns", port.spec().kernelNamespace());
            }
            p.put("up", port.up());
            portList.add(p);
        }
        json.put("ports", portList);
        final List<Object> vlanList = new ArrayList<>();
        for (final VlanState vlan : vlans) {
            final Map<String, Object> v = new LinkedHashMap<>();
            v.put("port", vlan.port());
            v.put("vlan", (long) vlan.vlan());
            v.put("to", vlan.to());
            vlanList.add(v);
        }
        json.put("vlans", vlanList);
        final List<Object> macList = new ArrayList<>();
        for (final MacState mac : macs) {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("mac", MacAddress.format(mac.mac()));
            m.put("port", mac.port());
            macList.add(m);
        }
        json.put("macs", macList);
        return json;
    }

    /** Settings as JSON, by their names in {@link NamespaceSettings#NAMES}. */
    public static Map<String, Object> settingsJson(final NamespaceSettings settings) {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put(NamespaceSettings.FORWARDING, settings.forwarding());
        json.put(NamespaceSettings.DEFAULT_TTL, (long) settings.defaultTtl());
        json.put(NamespaceSettings.MAC_AGING, (long) settings.macAgingSeconds());
        json.put(NamespaceSettings.MAC_LIMIT, (long) settings.macLimit());
        return json;
    }

    /** Reads an export document; throws {@link ControlException} (BAD_REQUEST/INVALID) saying what is wrong. */
    public static NamespaceState fromJson(final Object value) {
        final Fields doc = Fields.of(value, "namespace document");
        final long format = doc.integer("format", 0, Integer.MAX_VALUE);
        if (format != FORMAT) {
            throw new ControlException(ErrorKind.INVALID, "namespace document format " + format
                + " is not supported; this nsdp reads format " + FORMAT);
        }
        final String name = doc.string("name");
        final Level level = RequestCodec.level(doc.optionalString("level"));
        final String parent = doc.optionalString("parent");
        final String owner = doc.string("owner");
        NamespaceSettings settings = NamespaceSettings.DEFAULTS;
        final Fields settingsFields = doc.optionalObject("settings");
        if (settingsFields != null) {
            settings = RequestCodec.applySettings(settings, RequestCodec.settingsText(settingsFields));
        }
        final boolean loopbackUp = doc.optionalBoolean("loopbackUp", false);
        final List<PortState> ports = new ArrayList<>();
        for (final Fields p : doc.objectList("ports")) {
            ports.add(new PortState(p.string("name"), RequestCodec.portSpec(p), p.optionalBoolean("up", false)));
            p.checkNoOtherFields("a port of a namespace document", "name", "kind", "link", "netns", "up");
        }
        final List<VlanState> vlans = new ArrayList<>();
        for (final Fields v : doc.objectList("vlans")) {
            vlans.add(new VlanState(v.string("port"), (int) v.integer("vlan", 0, 4095), v.string("to")));
            v.checkNoOtherFields("a VLAN mapping of a namespace document", "port", "vlan", "to");
        }
        final List<MacState> macs = new ArrayList<>();
        for (final Fields m : doc.objectList("macs")) {
            macs.add(new MacState(RequestCodec.mac(m.string("mac")), m.string("port")));
            m.checkNoOtherFields("a static MAC of a namespace document", "mac", "port");
        }
        doc.checkNoOtherFields("a namespace document", "format", "name", "level", "parent", "owner", "settings",
            "loopbackUp", "ports", "vlans", "macs");
        return new NamespaceState(name, level, parent, owner, settings, loopbackUp, ports, vlans, macs);
    }
}

package dev.nsdp.control.model;

import dev.nsdp.dataplane.codec.MacAddress;
import dev.nsdp.dataplane.namespace.Level;
import dev.nsdp.dataplane.namespace.NameRules;
import dev.nsdp.dataplane.namespace.NamespaceException;
import dev.nsdp.dataplane.namespace.NamespaceSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON object ⇄ {@link Request}, strictly: the verb must be known, every required field present with
 * the right type, no unknown field, every name a valid name ({@link NameRules}: too long, empty or
 * with other characters is INVALID before anything is looked up), VLAN ids and MACs well formed. A
 * request that decodes is well formed; whether it is allowed is the model's business.
 *
 * <p>The envelope fields {@code "id"} (echoed in the reply) and {@code "verb"} are part of every
 * request object. The journal stores {@link Request#toJson()}, which this class reads back.
 */
public final class RequestCodec {
    /** The verbs, in the order the protocol documentation lists them. */
    public static final List<String> VERBS = List.of(
        "namespace.add", "namespace.delete", "namespace.set", "namespace.list", "namespace.show",
        "namespace.export", "namespace.import", "namespace.stats",
        "port.add", "port.delete", "port.up", "port.down", "port.move", "port.list",
        "vlan.map", "vlan.unmap", "vlan.list",
        "mac.add", "mac.delete", "mac.list",
        "status");

    private static final String ID = "id";
    private static final String VERB = "verb";
    private static final int MAX_MAC_TEXT = 17;

    private RequestCodec() {
    }

    /** Decodes one request object (as {@link JsonReader#parseObject} returns it). */
    public static Request decode(final Map<String, Object> json) {
        final Fields f = Fields.of(json, "the request");
        final Object verbValue = json.get(VERB);
        if (verbValue == null) {
            throw new ControlException(ErrorKind.BAD_REQUEST, "the request has no 'verb'; the verbs are " + String.join(", ", VERBS));
        }
        if (!(verbValue instanceof String verb)) {
            throw new ControlException(ErrorKind.BAD_REQUEST, "'verb' must be a string, got " + JsonWriter.typeName(verbValue));
        }
        final Fields r = Fields.of(json, verb);
        final Request request = switch (verb) {
            case "namespace.add" -> {
                r.checkNoOtherFields(verb, ID, VERB, "name", "level", "parent", "owner");
                final String owner = r.optionalString("owner");
                if (owner != null) {
                    principal(owner, "owner");
                }
                yield new Request.AddNamespace(name(r, "name"), level(r.optionalString("level")), optionalName(r, "parent"), owner);
            }
            case "namespace.delete" -> {
                r.checkNoOtherFields(verb, ID, VERB, "name");
                yield new Request.DeleteNamespace(name(r, "name"));
            }
            case "namespace.set" -> {
                r.checkNoOtherFields(verb, ID, VERB, "name", "settings");
                final Map<String, String> settings = settingsText(r.object("settings"));
                if (settings.isEmpty()) {
                    throw new ControlException(ErrorKind.BAD_REQUEST, "namespace.set needs at least one setting; the settings are "
                        + NamespaceSettings.NAMES);
                }
                applySettings(NamespaceSettings.DEFAULTS, settings); // refuse bad names and values here
                yield new Request.SetNamespace(name(r, "name"), settings);
            }
            case "namespace.import" -> {
                r.checkNoOtherFields(verb, ID, VERB, "namespace");
                yield new Request.ImportNamespace(checkedState(NamespaceState.fromJson(json.get("namespace"))));
            }
            case "port.add" -> {
                r.checkNoOtherFields(verb, ID, VERB, "namespace", "name", "kind", "link", "netns");
                yield new Request.AddPort(name(r, "namespace"), name(r, "name"), portSpec(r));
            }
            case "port.delete" -> {
                r.checkNoOtherFields(verb, ID, VERB, "namespace", "name");
                yield new Request.DeletePort(name(r, "namespace"), name(r, "name"));
            }
            case "port.up", "port.down" -> {
                r.checkNoOtherFields(verb, ID, VERB, "namespace", "name");
                yield new Request.SetPortUp(name(r, "namespace"), name(r, "name"), verb.equals("port.up"));
            }
            case "port.move" -> {
                r.checkNoOtherFields(verb, ID, VERB, "namespace", "name", "to", "newName");
                yield new Request.MovePort(name(r, "namespace"), name(r, "name"), name(r, "to"), optionalName(r, "newName"));
            }
            case "vlan.map" -> {
                r.checkNoOtherFields(verb, ID, VERB, "namespace", "port", "vlan", "to");
                yield new Request.MapVlan(name(r, "namespace"), name(r, "port"), vlan(r), name(r, "to"));
            }
            case "vlan.unmap" -> {
                r.checkNoOtherFields(verb, ID, VERB, "namespace", "port", "vlan");
                yield new Request.UnmapVlan(name(r, "namespace"), name(r, "port"), vlan(r));
            }
            case "mac.add" -> {
                r.checkNoOtherFields(verb, ID, VERB, "namespace", "mac", "port");
                yield new Request.AddStaticMac(name(r, "namespace"), mac(r.string("mac")), name(r, "port"));
            }
            case "mac.delete" -> {
                r.checkNoOtherFields(verb, ID, VERB, "namespace", "mac");
                yield new Request.DeleteStaticMac(name(r, "namespace"), mac(r.string("mac")));
            }
            case "namespace.list" -> {
                r.checkNoOtherFields(verb, ID, VERB);
                yield new Request.ListNamespaces();
            }
            case "namespace.show" -> {
                r.checkNoOtherFields(verb, ID, VERB, "name");
                yield new Request.ShowNamespace(name(r, "name"));
            }
            case "namespace.export" -> {
                r.checkNoOtherFields(verb, ID, VERB, "name");
                yield new Request.ExportNamespace(name(r, "name"));
            }
            case "port.list" -> {
                r.checkNoOtherFields(verb, ID, VERB, "namespace");
                yield new Request.ListPorts(name(r, "namespace"));
            }
            case "vlan.list" -> {
                r.checkNoOtherFields(verb, ID, VERB, "namespace");
                yield new Request.ListVlans(name(r, "namespace"));
            }
            case "mac.list" -> {
                r.checkNoOtherFields(verb, ID, VERB, "namespace");
                yield new Request.ListStaticMacs(name(r, "namespace"));
            }
            case "namespace.stats" -> {
                r.checkNoOtherFields(verb, ID, VERB, "name");
                yield new Request.NamespaceStats(name(r, "name"));
            }
            case "status" -> {
                r.checkNoOtherFields(verb, ID, VERB);
                yield new Request.Status();
            }
            default -> throw new ControlException(ErrorKind.BAD_REQUEST, "unknown verb '" + JsonReader.printable(verb)
                + "'; the verbs are " + String.join(", ", VERBS));
        };
        return request;
    }

    /** Parses one line of the protocol into a request: JSON errors are BAD_JSON, the rest as {@link #decode}. */
    public static Request decode(final String line) {
        final Map<String, Object> json;
        try {
            json = JsonReader.parseObject(line);
        } catch (final JsonException e) {
            throw new ControlException(ErrorKind.BAD_JSON, e.getMessage());
        }
        return decode(json);
    }

    // ------------------------------------------------------------------------------------------
    // Field rules shared with NamespaceState

    static String name(final Fields r, final String field) {
        final String value = r.string(field);
        checkName(value, field);
        return value;
    }

    static String optionalName(final Fields r, final String field) {
        final String value = r.optionalString(field);
        if (value != null) {
            checkName(value, field);
        }
        return value;
    }

    private static void checkName(final String value, final String field) {
        try {
            NameRules.checkName(value, "'" + field + "'");
        } catch (final NamespaceException e) {
            throw new ControlException(ErrorKind.INVALID, e.detail());
        }
    }

    private static void principal(final String value, final String field) {
        try {
            NameRules.checkPrincipal(value, field);
        } catch (final NamespaceException e) {
            throw new ControlException(ErrorKind.INVALID, e.detail());
        }
    }

    static Level level(final String text) {
        if (text == null) {
            return Level.L2;
        }
        return switch (text) {
            case "L2", "l2", "2" -> Level.L2;
            case "L3", "l3", "3" -> Level.L3;
            default -> throw new ControlException(ErrorKind.INVALID, "level '" + JsonReader.printable(text)
                + "' is not a namespace level; use L2 (full) or L3 (restricted)");
        };
    }

    private static int vlan(final Fields r) {
        return (int) r.integer("vlan", 1, 4094);
    }

    /** A MAC as "02:00:00:00:00:01" (or with '-'). */
    public static long mac(final String text) {
        if (text.length() > MAX_MAC_TEXT) {
            throw new ControlException(ErrorKind.INVALID, "MAC address is " + text.length()
                + " characters long; write six hex octets like 02:00:00:00:00:01");
        }
        try {
            return MacAddress.parse(JsonReader.printable(text));
        } catch (final IllegalArgumentException e) {
            throw new ControlException(ErrorKind.INVALID, e.getMessage());
        }
    }

    static PortSpec portSpec(final Fields r) {
        final PortKind kind = PortKind.fromWireName(r.string("kind"));
        final String link = r.string("link");
        final String netns = r.optionalString("netns");
        return new PortSpec(kind, link, netns);
    }

    /** Setting values as the text {@link NamespaceSettings#withSetting} takes: booleans and integers are written out. */
    static Map<String, String> settingsText(final Fields settings) {
        final Map<String, String> text = new LinkedHashMap<>();
        for (final Map.Entry<String, Object> entry : settings.json().entrySet()) {
            final Object value = entry.getValue();
            if (value instanceof String || value instanceof Long || value instanceof Boolean) {
                text.put(entry.getKey(), String.valueOf(value));
            } else {
                throw new ControlException(ErrorKind.BAD_REQUEST, "setting '" + JsonReader.printable(entry.getKey())
                    + "' must be a string, an integer or a boolean, got " + JsonWriter.typeName(value));
            }
        }
        return text;
    }

    /** {@code base} with every setting of {@code settings} applied in order; INVALID saying which one is wrong. */
    public static NamespaceSettings applySettings(final NamespaceSettings base, final Map<String, String> settings) {
        NamespaceSettings result = base;
        for (final Map.Entry<String, String> entry : settings.entrySet()) {
            try {
                result = result.withSetting(entry.getKey(), entry.getValue());
            } catch (final IllegalArgumentException e) {
                throw new ControlException(ErrorKind.INVALID, JsonReader.printable(e.getMessage()));
            }
        }
        return result;
    }

    /** Names inside an import document follow the same rules as in requests. */
    private static NamespaceState checkedState(final NamespaceState state) {
        checkName(state.name(), "name");
        if (state.parent() != null) {
            checkName(state.parent(), "parent");
        }
        principal(state.owner(), "owner");
        for (final NamespaceState.PortState port : state.ports()) {
            checkName(port.name(), "ports[].name");
        }
        for (final NamespaceState.VlanState vlan : state.vlans()) {
            checkName(vlan.port(), "vlans[].port");
            checkName(vlan.to(), "vlans[].to");
            if (vlan.vlan() < 1 || vlan.vlan() > 4094) {
                throw new ControlException(ErrorKind.INVALID, "VLAN id " + vlan.vlan() + " is out of range 1..4094");
            }
        }
        for (final NamespaceState.MacState mac : state.macs()) {
            checkName(mac.port(), "macs[].port");
        }
        return state;
    }

    /** The settings of {@code settings} as a JSON object (for replies). */
    public static Map<String, Object> settingsJson(final NamespaceSettings settings) {
        return NamespaceState.settingsJson(settings);
    }
}

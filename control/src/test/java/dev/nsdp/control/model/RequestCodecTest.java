package dev.nsdp.control.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.dataplane.codec.MacAddress;
import dev.nsdp.dataplane.namespace.Level;
import dev.nsdp.dataplane.namespace.NamespaceSettings;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestCodecTest {
    static final NamespaceState STATE = new NamespaceState("red", Level.L2, "root", "alice",
        NamespaceSettings.DEFAULTS.withDefaultTtl(32), true,
        List.of(new NamespaceState.PortState("eth0", new PortSpec(PortKind.AFPACKET, "veth-red", "lab"), true),
            new NamespaceState.PortState("eth1", PortSpec.memory("m1"), false)),
        List.of(new NamespaceState.VlanState("eth0", 100, "blue")),
        List.of(new NamespaceState.MacState(MacAddress.parse("02:00:00:00:00:01"), "eth1")));

    static List<Request> everyVerb() {
        final Map<String, String> settings = new LinkedHashMap<>();
        settings.put("default-ttl", "32");
        settings.put("forwarding", "false");
        return List.of(
            new Request.AddNamespace("red", Level.L3, "root", "alice"),
            new Request.AddNamespace("red", Level.L2, null, null),
            new Request.DeleteNamespace("red"),
            new Request.SetNamespace("red", settings),
            new Request.ListNamespaces(),
            new Request.ShowNamespace("red"),
            new Request.ExportNamespace("red"),
            new Request.ImportNamespace(STATE),
            new Request.AddPort("red", "eth0", new PortSpec(PortKind.TAP, "tap0", null)),
            new Request.DeletePort("red", "eth0"),
            new Request.SetPortUp("red", "eth0", true),
            new Request.SetPortUp("red", "lo", false),
            new Request.MovePort("red", "eth0", "blue", "eth9"),
            new Request.MovePort("red", "eth0", "blue", null),
            new Request.ListPorts("red"),
            new Request.MapVlan("root", "trunk0", 4094, "red"),
            new Request.UnmapVlan("root", "trunk0", 1),
            new Request.ListVlans("root"),
            new Request.AddStaticMac("red", MacAddress.parse("02:00:00:00:00:0a"), "eth0"),
            new Request.DeleteStaticMac("red", MacAddress.parse("02:00:00:00:00:0a")),
            new Request.ListStaticMacs("red"),
            new Request.NamespaceStats("red"),
            new Request.Status());
    }

    @Test
    void everyVerbRoundTripsThroughItsJsonLine() {
        final Set<String> verbs = new HashSet<>();
        for (final Request request : everyVerb()) {
            final String line = JsonWriter.write(request.toJson());
            assertEquals(request, RequestCodec.decode(line), line);
            verbs.add(request.verb());
        }
        assertEquals(new HashSet<>(RequestCodec.VERBS), verbs, "every verb is covered");
    }

    @Test
    void theWireShapeIsFlatWithTheVerbFirst() {
        assertEquals("{\"verb\":\"mac.add\",\"namespace\":\"red\",\"mac\":\"02:00:00:00:00:0a\",\"port\":\"eth0\"}",
            JsonWriter.write(new Request.AddStaticMac("red", 0x02_00_00_00_00_0aL, "eth0").toJson()));
        assertEquals(new Request.AddNamespace("red", Level.L2, null, null),
            RequestCodec.decode("{\"id\":7,\"verb\":\"namespace.add\",\"name\":\"red\"}"));
    }

    @Test
    void exportDocumentRoundTrips() {
        assertEquals(STATE, NamespaceState.fromJson(JsonReader.parse(JsonWriter.write(STATE.toJson()))));
    }

    @Test
    void malformedRequestsAreRefusedClearly() {
        refused(ErrorKind.BAD_JSON, "bad JSON at offset 8: expected ':' after an object key, got '\"'", "{\"verb\" \"namespace.add\"}");
        refused(ErrorKind.BAD_JSON, "bad JSON at offset 0: expected a JSON object ({...}), got an array", "[]");
        refused(ErrorKind.BAD_REQUEST, "unknown verb 'namespace.explode'; the verbs are " + String.join(", ", RequestCodec.VERBS),
            "{\"verb\":\"namespace.explode\"}");
        refused(ErrorKind.BAD_REQUEST, "the request has no 'verb'; the verbs are " + String.join(", ", RequestCodec.VERBS),
            "{\"name\":\"red\"}");
        refused(ErrorKind.BAD_REQUEST, "'verb' must be a string, got an integer", "{\"verb\":3}");
        refused(ErrorKind.BAD_REQUEST, "field 'name' of namespace.delete is missing", "{\"verb\":\"namespace.delete\"}");
        refused(ErrorKind.BAD_REQUEST, "field 'name' of namespace.delete must be a string, got an integer",
            "{\"verb\":\"namespace.delete\",\"name\":5}");
        refused(ErrorKind.BAD_REQUEST, "unknown field 'nmae' in namespace.delete; its fields are id, verb, name",
            "{\"verb\":\"namespace.delete\",\"name\":\"red\",\"nmae\":\"x\"}");
        refused(ErrorKind.INVALID, "'name' name 'a-very-long-namespace-name' is 26 characters long, at most 15 are allowed; "
            + "use 1..15 characters from A-Z a-z 0-9 _ . - (not \".\" or \"..\")",
            "{\"verb\":\"namespace.add\",\"name\":\"a-very-long-namespace-name\"}");
        refused(ErrorKind.INVALID, "'namespace' name 'r d' has the character ' ' at position 1, which is not allowed; "
            + "use 1..15 characters from A-Z a-z 0-9 _ . - (not \".\" or \"..\")",
            "{\"verb\":\"port.list\",\"namespace\":\"r d\"}");
        refused(ErrorKind.INVALID, "'name' name is empty; use 1..15 characters from A-Z a-z 0-9 _ . - (not \".\" or \"..\")",
            "{\"verb\":\"namespace.show\",\"name\":\"\"}");
        refused(ErrorKind.INVALID, "field 'vlan' of vlan.map is 4095, out of range 1..4094",
            "{\"verb\":\"vlan.map\",\"namespace\":\"root\",\"port\":\"t\",\"vlan\":4095,\"to\":\"red\"}");
        refused(ErrorKind.INVALID, "MAC address '02:00:00:00:00' must be six hex octets like 02:00:00:00:00:01",
            "{\"verb\":\"mac.delete\",\"namespace\":\"red\",\"mac\":\"02:00:00:00:00\"}");
        refused(ErrorKind.INVALID, "level 'L4' is not a namespace level; use L2 (full) or L3 (restricted)",
            "{\"verb\":\"namespace.add\",\"name\":\"red\",\"level\":\"L4\"}");
        refused(ErrorKind.INVALID, "default-ttl must be 1..255, got 0",
            "{\"verb\":\"namespace.set\",\"name\":\"red\",\"settings\":{\"default-ttl\":0}}");
        refused(ErrorKind.INVALID, "unknown setting 'ttl'; the settings are [forwarding, default-ttl, mac-aging, mac-limit]",
            "{\"verb\":\"namespace.set\",\"name\":\"red\",\"settings\":{\"ttl\":3}}");
        refused(ErrorKind.BAD_REQUEST, "unknown port kind 'veth'; use afpacket, tap or memory",
            "{\"verb\":\"port.add\",\"namespace\":\"red\",\"name\":\"eth0\",\"kind\":\"veth\",\"link\":\"v0\"}");
        refused(ErrorKind.INVALID, "a memory port lives in the process; it has no kernel namespace",
            "{\"verb\":\"port.add\",\"namespace\":\"red\",\"name\":\"eth0\",\"kind\":\"memory\",\"link\":\"v0\",\"netns\":\"x\"}");
    }

    private static void refused(final ErrorKind kind, final String message, final String line) {
        final ControlException e = assertThrows(ControlException.class, () -> RequestCodec.decode(line));
        assertEquals(kind, e.kind(), e.getMessage());
        assertEquals(message, e.error().message());
        assertTrue(e.error().errnoName().startsWith("E"));
    }
}

package dev.nsdp.control.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.control.model.ErrorKind;
import dev.nsdp.control.model.JsonReader;
import dev.nsdp.control.model.JsonWriter;
import dev.nsdp.control.model.NamespaceState;
import dev.nsdp.control.model.PortKind;
import dev.nsdp.control.model.PortSpec;
import dev.nsdp.control.model.Reply;
import dev.nsdp.control.model.Request;
import dev.nsdp.dataplane.codec.MacAddress;
import dev.nsdp.dataplane.namespace.Caller;
import dev.nsdp.dataplane.namespace.Level;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlServiceTest {
    static final Caller ADMIN = Caller.administrator("root");
    static final Caller ALICE = Caller.user("alice");
    static final Caller BOB = Caller.user("bob");
    static final long MAC1 = MacAddress.parse("02:00:00:00:00:01");
    static final long MAC2 = MacAddress.parse("02:00:00:00:00:02");

    @TempDir
    Path dir;

    /** A configuration that touches every kind of change, ending in a non-trivial state. */
    static void configure(final ServiceFixture f) {
        ok(f.call(ADMIN, new Request.AddNamespace("red", Level.L2, null, "alice")));
        ok(f.call(ADMIN, new Request.AddNamespace("blue", Level.L2, null, "bob")));
        ok(f.call(ADMIN, new Request.AddNamespace("green", Level.L3, null, null)));
        ok(f.call(ADMIN, new Request.AddPort("red", "eth0", PortSpec.memory("m0"))));
        ok(f.call(ADMIN, new Request.AddPort("red", "eth1", PortSpec.memory("m1"))));
        ok(f.call(ADMIN, new Request.AddPort("root", "trunk0", PortSpec.memory("t0"))));
        ok(f.call(ADMIN, new Request.AddPort("blue", "eth0", PortSpec.memory("b0"))));
        ok(f.call(ALICE, new Request.SetPortUp("red", "eth0", true)));
        ok(f.call(ALICE, new Request.SetPortUp("red", "lo", true)));
        ok(f.call(ALICE, new Request.SetNamespace("red", Map.of("default-ttl", "32"))));
        ok(f.call(ALICE, new Request.AddStaticMac("red", MAC1, "eth0")));
        ok(f.call(ALICE, new Request.AddStaticMac("red", MAC2, "eth1")));
        ok(f.call(ALICE, new Request.DeleteStaticMac("red", MAC2)));
        ok(f.call(ADMIN, new Request.MapVlan("root", "trunk0", 100, "red")));
        ok(f.call(ADMIN, new Request.MapVlan("root", "trunk0", 200, "blue")));
        ok(f.call(ADMIN, new Request.UnmapVlan("root", "trunk0", 200)));
        ok(f.call(ADMIN, new Request.MovePort("blue", "eth0", "red", "eth2")));
        ok(f.call(ADMIN, new Request.AddPort("blue", "eth5", PortSpec.memory("b5"))));
        ok(f.call(BOB, new Request.DeletePort("blue", "eth5")));
        ok(f.call(ADMIN, new Request.DeleteNamespace("green")));
    }

    static Reply ok(final Reply reply) {
        assertTrue(reply.ok(), () -> "refused: " + reply.error());
        return reply;
    }

    static void refused(final Reply reply, final ErrorKind kind, final String messagePart) {
        assertFalse(reply.ok(), "should have been refused");
        assertEquals(kind, reply.error().kind(), reply.error().message());
        assertTrue(reply.error().message().contains(messagePart), reply.error().message());
    }

    @Test
    void changesAreJournaledInOrderWithTheirSequenceNumbers() {
        try (ServiceFixture f = new ServiceFixture(dir)) {
            assertEquals(1, ok(f.call(ADMIN, new Request.AddNamespace("red", Level.L2, null, "alice"))).sequence());
            assertEquals(0, ok(f.call(ALICE, new Request.ShowNamespace("red"))).sequence(), "reads are not journaled");
            assertEquals(2, ok(f.call(ALICE, new Request.SetPortUp("red", "lo", true))).sequence());
            assertEquals(2, f.journal.lastSequence());
        }
    }

    @Test
    void replayAfterRestartEndsInExactlyTheSameState() {
        final Map<String, Object> before;
        try (ServiceFixture f = new ServiceFixture(dir)) {
            configure(f);
            before = f.service.snapshot();
        }
        try (ServiceFixture f = new ServiceFixture(dir)) {
            assertEquals(20, f.service.replayedEntries());
            assertEquals(0, f.service.skippedOnReplay());
            assertEquals(before, f.service.snapshot());
            // ... and the replayed state is live: the worker forwards with it, and changes go on.
            assertEquals(21, ok(f.call(ALICE, new Request.SetPortUp("red", "eth1", true))).sequence());
        }
    }

    @Test
    void refusedRequestsChangeNothingAndSayWhy() {
        try (ServiceFixture f = new ServiceFixture(dir)) {
            configure(f);
            final Map<String, Object> before = f.service.snapshot();
            final long seq = f.journal.lastSequence();

            refused(f.call(ALICE, new Request.AddNamespace("mine", Level.L2, null, null)), ErrorKind.PERMISSION_DENIED,
                "user 'alice' may not create namespaces (namespace.add); only an administrator may");
            refused(f.call(ALICE, new Request.MovePort("red", "eth0", "red", "eth9")), ErrorKind.PERMISSION_DENIED,
                "may not move links between namespaces");
            refused(f.call(ALICE, new Request.AddPort("red", "eth7", PortSpec.memory("x7"))), ErrorKind.PERMISSION_DENIED,
                "may not attach links");
            refused(f.call(BOB, new Request.AddStaticMac("red", MAC2, "eth0")), ErrorKind.PERMISSION_DENIED,
                "user 'bob' may not add static MACs to namespace 'red' (owned by 'alice')");
            refused(f.call(BOB, new Request.ShowNamespace("red")), ErrorKind.PERMISSION_DENIED, "may not look into namespace 'red'");
            refused(f.call(ALICE, new Request.AddStaticMac("red", MAC1, "eth1")), ErrorKind.EXISTS, "already a static entry");
            refused(f.call(ADMIN, new Request.AddNamespace("red", Level.L2, null, null)), ErrorKind.EXISTS, "already exists");
            refused(f.call(ADMIN, new Request.DeleteNamespace("nope")), ErrorKind.NOT_FOUND, "'nope' does not exist");
            refused(f.call(ADMIN, new Request.AddPort("red", "eth3", PortSpec.memory("m0"))), ErrorKind.EXISTS,
                "link memory:m0 is already attached as port 'eth0' in namespace 'red'");
            refused(f.call(ADMIN, new Request.AddPort("red", "eth0", PortSpec.memory("fresh"))), ErrorKind.EXISTS,
                "already has a device 'eth0'");
            assertEquals(null, f.ports.hostEnd("fresh"), "a port opened for a refused request is released");
            refused(f.call(ADMIN, new Request.AddPort("red", "eth3", new PortSpec(PortKind.AFPACKET, "veth0", null))),
                ErrorKind.PORT_UNAVAILABLE, "memory ports only");
            refused(f.call(ALICE, new Request.SetNamespace("red", Map.of("mac-limit", "0"))), ErrorKind.INVALID,
                "mac-limit must be 1..16777216, got 0");
            refused(f.call(ADMIN, new Request.MovePort("red", "lo", "root", null)), ErrorKind.INVALID, "can never be moved");

            assertEquals(before, f.service.snapshot(), "no refused request changed the state");
            assertEquals(seq, f.journal.lastSequence(), "no refused request reached the journal");
            ok(f.call(ALICE, new Request.AddStaticMac("red", MAC2, "eth1"))); // and the service goes on
        }
    }

    @Test
    void changesWaitForTheReplay() {
        try (ServiceFixture f = new ServiceFixture(dir)) {
            ok(f.call(ADMIN, new Request.AddNamespace("red", Level.L2, null, null)));
        }
        final dev.nsdp.dataplane.Dataplane dataplane = new dev.nsdp.dataplane.Dataplane(new dev.nsdp.dataplane.Dataplane.Config(2048, 4096));
        try (dev.nsdp.control.journal.Journal journal = dev.nsdp.control.journal.Journal.open(dir,
                 dev.nsdp.control.journal.JournalSync.NONE);
             ControlService service = new ControlService(dataplane.namespaces(), new MemoryPortFactory(() -> { }), journal)) {
            refused(service.submit(ADMIN, new Request.AddNamespace("blue", Level.L2, null, null)).join(), ErrorKind.UNAVAILABLE,
                "still starting");
            assertEquals(1, service.start());
            ok(service.submit(ADMIN, new Request.AddNamespace("blue", Level.L2, null, null)).join());
            assertEquals(2, journal.lastSequence());
        } finally {
            dataplane.close();
        }
    }

    @Test
    void usersSeeOnlyTheirOwnNamespaces() {
        try (ServiceFixture f = new ServiceFixture(null)) {
            configure(f);
            @SuppressWarnings("unchecked")
            final List<Map<String, Object>> mine = (List<Map<String, Object>>) ((Map<String, Object>)
                ok(f.call(ALICE, new Request.ListNamespaces())).result()).get("namespaces");
            assertEquals(List.of("red"), mine.stream().map(n -> n.get("name")).toList());
            @SuppressWarnings("unchecked")
            final List<Map<String, Object>> all = (List<Map<String, Object>>) ((Map<String, Object>)
                ok(f.call(ADMIN, new Request.ListNamespaces())).result()).get("namespaces");
            assertEquals(List.of("root", "red", "blue"), all.stream().map(n -> n.get("name")).toList());
        }
    }

    @Test
    void exportThenImportRecreatesTheNamespaceElsewhere() {
        final Map<String, Object> exported;
        final Map<String, Object> shownBefore;
        try (ServiceFixture f = new ServiceFixture(null)) {
            configure(f);
            ok(f.call(ADMIN, new Request.MapVlan("red", "eth1", 300, "blue")));
            exported = castMap(ok(f.call(ALICE, new Request.ExportNamespace("red"))).result());
            shownBefore = castMap(ok(f.call(ALICE, new Request.ShowNamespace("red"))).result());
        }
        final NamespaceState state = NamespaceState.fromJson(JsonReader.parse(JsonWriter.write(exported)));
        assertEquals(3, state.ports().size());
        assertEquals(List.of(new NamespaceState.MacState(MAC1, "eth0")), state.macs());

        try (ServiceFixture g = new ServiceFixture(dir)) {
            ok(g.call(ADMIN, new Request.AddNamespace("blue", Level.L2, null, "bob"))); // the VLAN target must exist
            final Reply imported = ok(g.call(ADMIN, new Request.ImportNamespace(state)));
            assertEquals("red", castMap(imported.result()).get("name"));
            final Map<String, Object> shownAfter = castMap(ok(g.call(ALICE, new Request.ShowNamespace("red"))).result());
            assertEquals(withoutIds(shownBefore), withoutIds(shownAfter));
            assertEquals(exported, ok(g.call(ALICE, new Request.ExportNamespace("red"))).result(), "export of the import is the same");
            assertNotNull(g.ports.hostEnd("m0"), "the import opened the ports it names");
        }
    }

    @Test
    void anImportRefusedPartWayChangesNothing() {
        try (ServiceFixture f = new ServiceFixture(dir)) {
            configure(f);
            final Map<String, Object> before = f.service.snapshot();
            final long seq = f.journal.lastSequence();
            // Its second MAC names a port the document does not have: found only after the namespace,
            // ports, VLANs and first MAC were applied to the validation registry.
            final NamespaceState bad = new NamespaceState("new", Level.L2, null, "alice",
                dev.nsdp.dataplane.namespace.NamespaceSettings.DEFAULTS, true,
                List.of(new NamespaceState.PortState("e0", PortSpec.memory("n0"), true),
                    new NamespaceState.PortState("e1", PortSpec.memory("n1"), false)),
                List.of(new NamespaceState.VlanState("e0", 7, "red")),
                List.of(new NamespaceState.MacState(MAC1, "e0"), new NamespaceState.MacState(MAC2, "e9")));
            refused(f.call(ADMIN, new Request.ImportNamespace(bad)), ErrorKind.NOT_FOUND,
                "import of namespace 'new' refused at static MAC 02:00:00:00:00:02: namespace 'new' has no device 'e9'");
            assertEquals(before, f.service.snapshot());
            assertEquals(seq, f.journal.lastSequence());
            assertEquals(null, f.ports.hostEnd("n0"), "the ports it opened are released");
            // The validation registry was undone too: the same import without the bad MAC now succeeds.
            final NamespaceState good = new NamespaceState("new", Level.L2, null, "alice", bad.settings(), true, bad.ports(),
                bad.vlans(), List.of(new NamespaceState.MacState(MAC1, "e0")));
            ok(f.call(ADMIN, new Request.ImportNamespace(good)));
            ok(f.call(ADMIN, new Request.AddPort("root", "e0", PortSpec.memory("n9"))));
        }
    }

    @Test
    void statusSaysWhoTheCallerIsAndWhereTheJournalIs() {
        try (ServiceFixture f = new ServiceFixture(dir)) {
            ok(f.call(ADMIN, new Request.AddNamespace("red", Level.L2, null, "alice")));
            final Map<String, Object> status = castMap(ok(f.call(ALICE, new Request.Status())).result());
            assertEquals("alice", status.get("caller"));
            assertEquals(false, status.get("admin"));
            assertEquals(true, status.get("acceptingChanges"));
            final Map<String, Object> journal = castMap(status.get("journal"));
            assertEquals(dir.toString(), journal.get("directory"));
            assertEquals(1L, journal.get("format"));
            assertEquals(1L, journal.get("lastSeq"));
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> castMap(final Object value) {
        return (Map<String, Object>) value;
    }

    /** A show result without the ids the importing dataplane allocated itself (namespace id, port indices). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> withoutIds(final Map<String, Object> shown) {
        final Map<String, Object> copy = new java.util.LinkedHashMap<>(shown);
        copy.remove("id");
        copy.put("devices", ((List<Map<String, Object>>) shown.get("devices")).stream().map(d -> {
            final Map<String, Object> device = new java.util.LinkedHashMap<>(d);
            device.remove("index");
            return device;
        }).toList());
        return copy;
    }
}

package dev.nsdp.control.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.control.api.Authenticator;
import dev.nsdp.control.api.ControlServer;
import dev.nsdp.control.api.ControlServerConfig;
import dev.nsdp.control.api.ControlService;
import dev.nsdp.control.api.MemoryPortFactory;
import dev.nsdp.control.testing.JsonReader;
import dev.nsdp.dataplane.Dataplane;
import dev.nsdp.dataplane.buffer.BufferCache;
import dev.nsdp.dataplane.buffer.Descriptor;
import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.namespace.Caller;
import dev.nsdp.dataplane.testing.Frames;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nsdp dp ...} end to end: the CLI's entry point against a real control server and service
 * (memory ports) on a temporary Unix socket. Text output, {@code -j} JSON, the daemon's refusals,
 * an unreachable daemon, the socket from the environment, and a batch.
 */
class DpCliTest {
    @TempDir
    Path dir;

    private Dataplane dataplane;
    private MemoryPortFactory ports;
    private ControlService service;
    private ControlServer server;
    private Path socket;
    private final Map<String, String> environment = new HashMap<>();

    private record Run(int status, String out, String err) {
    }

    @BeforeEach
    void start() {
        dataplane = new Dataplane(new Dataplane.Config(2048, 4096)).start();
        ports = new MemoryPortFactory(dataplane::sync);
        service = new ControlService(dataplane.namespaces(), ports, null).counters(dataplane.worker().counters());
        service.start();
        server = startServer("nsdp.sock", Caller.administrator("lab"));
        socket = server.socketPath();
    }

    private ControlServer startServer(final String file, final Caller caller) {
        final ControlServerConfig config = ControlServerConfig.DEFAULTS.withSocket(dir.resolve(file)).withSocketGroup(null);
        return ControlServer.start(config, service, Authenticator.fixed(caller));
    }

    @AfterEach
    void stop() {
        server.close();
        service.close();
        dataplane.close();
    }

    /** Runs {@code nsdp dp -s SOCKET WORDS...} (the words split at spaces). */
    private Run dp(final String line) {
        final List<String> args = new ArrayList<>(List.of("dp", "-s", socket.toString()));
        args.addAll(Arrays.asList(line.split(" ")));
        return nsdp(args);
    }

    private Run nsdp(final List<String> args) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = new NsdpCli(CommandTable.standard(environment::get)).run(args,
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private String ok(final String line) {
        final Run run = dp(line);
        assertEquals(0, run.status, "nsdp dp " + line + ": " + run.err);
        assertEquals("", run.err, line);
        return run.out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(final String json) {
        return (Map<String, Object>) JsonReader.parse(json);
    }

    private static List<Map<String, Object>> array(final String json) {
        return JsonReader.parseList(json);
    }

    /** red with a memory port up, a trunk mapping VLAN 100 to blue, and a static MAC. */
    private void buildLab() {
        assertEquals("", ok("ns add red"));
        ok("ns add blue level 3 owner bob");
        ok("-n red port add eth0 type memory link m0");
        ok("-n red port set eth0 up");
        ok("-n red port add trunk type memory link m1");
        ok("-n red vlan add port trunk vid 100 netns blue");
        ok("-n red mac add 02:00:5e:00:00:01 port eth0");
        ok("ns set red forwarding off mac-limit 100");
    }

    @Test
    void showsPrintTextAndJson() {
        buildLab();
        assertEquals("""
            lo: <LOOPBACK> state DOWN
            eth0: index 0 state UP type memory link m0
            trunk: index 1 state DOWN type memory link m1
            """, ok("-n red port show"));
        assertEquals("eth0: index 0 state UP type memory link m0\n", ok("-n red port show eth0"));
        assertEquals("port trunk vid 100 netns blue\n", ok("-n red vlan show"));
        assertEquals("02:00:5e:00:00:01 port eth0 static\n", ok("-n red mac show"));

        final List<Map<String, Object>> ports = array(ok("-n red -j port show"));
        assertEquals(List.of("lo", "eth0", "trunk"), ports.stream().map(p -> p.get("name")).toList());
        assertEquals(true, ports.get(1).get("up"));
        assertEquals("memory", ports.get(1).get("kind"));
        assertEquals("m0", ports.get(1).get("link"));
        final List<Map<String, Object>> vlans = array(ok("-j -n red vlan show"));
        assertEquals(1, vlans.size());
        assertEquals(Map.of("namespace", "red", "port", "trunk", "vlan", 100L, "to", "blue"), vlans.get(0));
        assertEquals(List.of(Map.of("namespace", "red", "mac", "02:00:5e:00:00:01", "port", "eth0")), array(ok("-n red -j mac show")));

        final List<Map<String, Object>> namespaces = array(ok("-j ns list"));
        assertEquals(List.of("root", "red", "blue"), namespaces.stream().map(n -> n.get("name")).toList());
        assertEquals("L3", namespaces.get(2).get("level"));
        assertEquals("bob", namespaces.get(2).get("owner"));

        final Map<String, Object> red = object(ok("-j ns show red"));
        @SuppressWarnings("unchecked")
        final Map<String, Object> settings = (Map<String, Object>) red.get("settings");
        assertEquals(false, settings.get("forwarding"));
        assertEquals(100L, settings.get("mac-limit"));
        assertEquals(3, ((List<?>) red.get("devices")).size());

        final String text = ok("ns show red");
        assertTrue(text.startsWith("""
            %s: red level L2 parent root owner lab
                forwarding off default-ttl 64 mac-aging 300 mac-limit 100
                lo down ports eth0 trunk
                lo: <LOOPBACK> state DOWN
                eth0: index 0 state UP type memory link m0
            """.formatted(red.get("id"))), text);
        assertTrue(text.endsWith("    port trunk vid 100 netns blue\n    02:00:5e:00:00:01 port eth0 static\n"), text);
        assertTrue(ok("ns list").contains(": blue level L3 parent root owner bob\n"));

        final String pretty = ok("-j -p ns show blue");
        assertTrue(pretty.startsWith("{\n    \"id\": "), pretty);

        final String status = ok("status");
        assertTrue(status.startsWith("caller lab (administrator)\nchanges accepted\nnamespaces 3 ports 2 missing-ports 0\n"), status);
        assertEquals("lab", object(ok("-j status")).get("caller"));
    }

    @Test
    void portsMoveAndNamespacesGoAway() {
        buildLab();
        ok("-n red vlan del port trunk vid 100");
        assertEquals("", ok("-n red vlan show"));
        ok("-n red mac del 02:00:5e:00:00:01");
        assertEquals("[]\n", ok("-j -n red mac show"));
        ok("-n red port set trunk netns blue name up0");
        assertEquals("lo: <LOOPBACK> state DOWN\nup0: index 1 state DOWN type memory link m1\n", ok("-n blue port show"));
        ok("-n red port del eth0");
        assertEquals("lo: <LOOPBACK> state DOWN\n", ok("-n red port show"));
        ok("ns del blue");
        assertTrue(ok("-n root port show").contains("up0: index 1 state DOWN type memory link m1"),
            "a deleted namespace's ports return to root");
    }

    @Test
    void exportThenImportRecreatesTheNamespace() throws Exception {
        buildLab();
        final String document = ok("ns export red");
        final Path file = dir.resolve("red.json");
        Files.writeString(file, document);
        ok("ns del red");
        ok("-n root port del eth0");
        ok("-n root port del trunk");
        assertFalse(ok("ns list").contains(" red "));
        ok("ns import " + file);
        assertEquals(object(document), object(ok("ns export red")));
        final Run twice = dp("ns import " + file + " name red2");
        assertEquals(1, twice.status, "the same links cannot be attached twice");
        assertTrue(twice.err.contains("is already attached as port 'eth0' in namespace 'red'"), twice.err);
        assertFalse(ok("ns list").contains("red2"), "an import is all or nothing");
    }

    @Test
    void refusedRequestsPrintTheDaemonsReasonAndExitOne() {
        ok("ns add red");
        final Run again = dp("ns add red");
        assertEquals(1, again.status);
        assertEquals("", again.out);
        assertTrue(again.err.startsWith("nsdp: dp ns add red: refused by the daemon: "), again.err);
        assertTrue(again.err.contains("(EXISTS, EEXIST)"), again.err);

        final Run missing = dp("-n red port del nope");
        assertEquals(1, missing.status);
        assertTrue(missing.err.contains("(NOT_FOUND, ENODEV)") || missing.err.contains("(NOT_FOUND, ENOENT)"), missing.err);

        final Run noPort = dp("-n red port show nope");
        assertEquals(1, noPort.status);
        assertEquals("nsdp: there is no port 'nope' in dataplane namespace 'red'; `nsdp dp -n red port show` lists them\n", noPort.err);

        final Run badFile = dp("ns import " + dir.resolve("none.json"));
        assertEquals(1, badFile.status);
        assertTrue(badFile.err.startsWith("nsdp: dp ns import: cannot read "), badFile.err);
    }

    @Test
    void aUserWhoIsNotAnAdministratorIsToldWhy() {
        try (ControlServer bobs = startServer("bob.sock", Caller.user("bob"))) {
            final Run run = nsdp(List.of("dp", "-s", bobs.socketPath().toString(), "ns", "add", "mine"));
            assertEquals(1, run.status);
            assertTrue(run.err.contains("(PERMISSION_DENIED, EPERM)"), run.err);
            assertFalse(ok("ns list").contains("mine"), "a refused request changed nothing");
        }
    }

    @Test
    void anUnreachableDaemonNamesTheSocketAndHowToStartIt() {
        final Path nowhere = dir.resolve("nowhere.sock");
        final Run run = nsdp(List.of("dp", "-s", nowhere.toString(), "ns", "list"));
        assertEquals(1, run.status);
        assertTrue(run.err.startsWith("nsdp: cannot reach the nsdp daemon at " + nowhere + " (-s): "), run.err);
        assertTrue(run.err.contains("Start the forwarding daemon (`scripts/nsdpd --socket "), run.err);
        assertTrue(run.err.contains("NSDP_SOCKET=PATH"), run.err);

        environment.put("NSDP_SOCKET", nowhere.toString());
        assertTrue(nsdp(List.of("dp", "status")).err.contains(nowhere + " (NSDP_SOCKET)"));
        environment.put("NSDP_SOCKET", socket.toString());
        final Run viaEnvironment = nsdp(List.of("dp", "status"));
        assertEquals(0, viaEnvironment.status, viaEnvironment.err);
        assertTrue(viaEnvironment.out.startsWith("caller lab"));
    }

    @Test
    void statsCountWhatTheWorkerForwarded() {
        ok("ns add green");
        ok("-n green port add g0 type memory link mg0");
        ok("-n green port add g1 type memory link mg1");
        ok("-n green port set g0 up");
        ok("-n green port set g1 up");
        final byte[] frame = Frames.ethernet(Frames.mac("02:00:00:00:00:0b"), Frames.mac("02:00:00:00:00:0a"),
            Frames.ETHERTYPE_IPV4, Frames.ipv4Packet(Frames.ipv4("198.18.0.1"), Frames.ipv4("198.18.0.2"), Frames.PROTOCOL_UDP,
                Frames.udpDatagram4(Frames.ipv4("198.18.0.1"), Frames.ipv4("198.18.0.2"), 5000, 5001, new byte[18])));
        final PacketPool pool = dataplane.pool();
        final BufferCache cache = pool.newCache(8);
        dataplane.sync();
        final long d = Descriptor.of(cache.allocate(), pool.headroom(), frame.length);
        pool.view().putBytes(pool.offsetOf(d), frame);
        assertTrue(ports.hostEnd("mg0").transmit(d));
        long got = -1;
        for (int i = 0; i < 5_000 && got == -1; i++) {
            got = ports.hostEnd("mg1").receive();
            if (got == -1) {
                LockSupport.parkNanos(100_000);
            }
        }
        assertTrue(got != -1, "the unknown unicast was flooded to g1");
        cache.free(got);
        dataplane.sync();

        final Map<String, Object> stats = object(ok("-n green -j stats"));
        assertEquals("green", stats.get("name"));
        assertEquals(1L, stats.get("rx_packets"));
        assertEquals((long) frame.length, stats.get("rx_bytes"));
        @SuppressWarnings("unchecked")
        final List<Map<String, Object>> byPort = (List<Map<String, Object>>) stats.get("ports");
        assertEquals(List.of("g0", "g1"), byPort.stream().map(p -> p.get("name")).toList());
        assertEquals(1L, byPort.get(0).get("rx_packets"));
        assertEquals(0L, byPort.get(0).get("tx_packets"));
        assertEquals(1L, byPort.get(1).get("tx_packets"));
        final String text = ok("-n green stats");
        assertTrue(text.startsWith("NAME"), text);
        assertTrue(text.contains("\n  g1 "), text);

        service.counters(null);
        final Run without = dp("-n green stats");
        assertEquals(1, without.status);
        assertTrue(without.err.contains("(UNAVAILABLE, EAGAIN)"), without.err);
    }

    @Test
    void aBatchOfDataplaneCommands() throws Exception {
        final Path batch = dir.resolve("lab.batch");
        Files.writeString(batch, String.join("\n",
            "dp -s " + socket + " ns add green",
            "dp -s " + socket + " -n green port add e0 type memory link g0",
            "dp -s " + socket + " -n green port set e0 up",
            "dp -s " + socket + " -j -n green port show",
            "dp -s " + socket + " ns add green",
            "dp -s " + socket + " ns add never") + "\n");
        final Run run = nsdp(List.of("-batch", batch.toString()));
        assertEquals(1, run.status, "the failed line stops the batch");
        final List<Map<String, Object>> ports = array(run.out.strip());
        assertEquals(List.of("lo", "e0"), ports.stream().map(p -> p.get("name")).toList());
        assertTrue(run.err.startsWith("nsdp: " + batch + ":5: dp ns add green: refused by the daemon: "), run.err);
        assertFalse(ok("ns list").contains("never"));
    }
}

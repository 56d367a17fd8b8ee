package dev.nsdp.control.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.control.api.ControlServerConfig;
import dev.nsdp.control.model.PortKind;
import dev.nsdp.control.model.PortSpec;
import dev.nsdp.control.model.Request;
import dev.nsdp.dataplane.codec.MacAddress;
import dev.nsdp.dataplane.namespace.Level;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The grammar of {@code nsdp dp}: every command parses to the control API request it stands for; bad input is refused saying why. */
class DpGrammarTest {
    private final Map<String, String> environment = new HashMap<>();
    private final NsdpCli cli = new NsdpCli(CommandTable.standard(environment::get));
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final CliContext context = new CliContext(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));

    private Action action(final String line) {
        return cli.parse(Arrays.asList(line.split(" ")), context);
    }

    private DpRequest parse(final String line) {
        return assertInstanceOf(DpRequest.class, action(line), line);
    }

    private Request request(final String line) {
        return parse(line).request();
    }

    private String refusal(final String line) {
        final UsageException e = assertThrows(UsageException.class, () -> action(line), line);
        return e.getMessage();
    }

    private static Map<String, String> settings(final String... pairs) {
        final Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    @Test
    void namespaceCommands() {
        assertEquals(new Request.AddNamespace("red", Level.L2, null, null), request("dp ns add red"));
        assertEquals(new Request.AddNamespace("red", Level.L3, "blue", "alice"),
            request("dp namespace add red level 3 parent blue owner alice"));
        assertEquals(new Request.AddNamespace("red", Level.L3, null, null), request("dp n a red l L3"));
        assertEquals(new Request.AddNamespace("red", Level.L2, null, null), request("dp ns add red level 2"));
        assertEquals(new Request.DeleteNamespace("red"), request("dp ns del red"));
        assertEquals(new Request.DeleteNamespace("red"), request("dp ns delete red"));
        assertEquals(new Request.ListNamespaces(), request("dp ns list"));
        assertEquals(new Request.ListNamespaces(), request("dp ns show"));
        assertEquals(new Request.ListNamespaces(), request("dp ns"));
        assertEquals(new Request.ShowNamespace("red"), request("dp ns show red"));
        assertEquals(new Request.ShowNamespace("red"), request("dp ns s red"));
        assertEquals(new Request.SetNamespace("red", settings("forwarding", "off", "mac-limit", "100")),
            request("dp ns set red forwarding off mac-limit 100"));
        assertEquals(new Request.SetNamespace("red", settings("default-ttl", "32", "mac-aging", "60")),
            request("dp ns set red default-ttl 32 mac-aging 60"));
        assertEquals(new Request.ExportNamespace("red"), request("dp ns export red"));
        final DpNamespaceObject.Import load = assertInstanceOf(DpNamespaceObject.Import.class, action("dp ns import /tmp/f.json"));
        assertEquals("/tmp/f.json", load.file());
        assertNull(load.rename());
        assertEquals("green", assertInstanceOf(DpNamespaceObject.Import.class, action("dp ns import - name green")).rename());
    }

    @Test
    void portCommandsActInTheNamespaceOfDashN() {
        assertEquals(new Request.AddPort("root", "eth0", new PortSpec(PortKind.AFPACKET, "veth0", "lab")),
            request("dp port add eth0 type afpacket link veth0 netns lab"));
        assertEquals(new Request.AddPort("red", "eth0", new PortSpec(PortKind.AFPACKET, "veth0", null)),
            request("dp -n red port add eth0 link veth0 type afpacket"));
        assertEquals(new Request.AddPort("red", "t0", new PortSpec(PortKind.TAP, "tap0", null)),
            request("dp -n red port add t0 type tap dev tap0"));
        assertEquals(new Request.AddPort("red", "m", PortSpec.memory("m0")), request("dp -netns red port add m type memory link m0"));
        assertEquals(new Request.DeletePort("red", "eth0"), request("dp -n red port del eth0"));
        assertEquals(new Request.SetPortUp("red", "eth0", true), request("dp -n red port set eth0 up"));
        assertEquals(new Request.SetPortUp("red", "lo", false), request("dp -n red port set lo down"));
        assertEquals(new Request.MovePort("red", "eth0", "blue", null), request("dp -n red port set eth0 netns blue"));
        assertEquals(new Request.MovePort("red", "eth0", "blue", "e1"), request("dp -n red port set eth0 netns blue name e1"));
        assertEquals(new Request.ListPorts("red"), request("dp -n red port show"));
        assertEquals(new Request.ListPorts("red"), request("dp -n red port show eth0"));
        assertEquals(new Request.ListPorts("root"), request("dp port"));
    }

    @Test
    void vlanMacAndStatusCommands() {
        assertEquals(new Request.MapVlan("red", "trunk", 100, "blue"), request("dp -n red vlan add port trunk vid 100 netns blue"));
        assertEquals(new Request.MapVlan("red", "trunk", 4094, "blue"), request("dp -n red vlan add netns blue dev trunk vid 4094"));
        assertEquals(new Request.UnmapVlan("red", "trunk", 1), request("dp -n red vlan del port trunk vid 1"));
        assertEquals(new Request.ListVlans("red"), request("dp -n red vlan show"));
        final long mac = MacAddress.parse("02:00:5e:00:00:01");
        assertEquals(new Request.AddStaticMac("red", mac, "eth0"), request("dp -n red mac add 02:00:5e:00:00:01 port eth0"));
        assertEquals(new Request.DeleteStaticMac("red", mac), request("dp -n red mac del 02:00:5e:00:00:01"));
        assertEquals(new Request.ListStaticMacs("root"), request("dp mac show"));
        assertEquals(new Request.Status(), request("dp status"));
        assertEquals(new Request.Status(), request("dp st"));
        assertEquals(new Request.NamespaceStats("root"), request("dp stats"));
        assertEquals(new Request.NamespaceStats("red"), request("dp -n red stats"));
        assertEquals("unexpected word 'eth0' after `stats`", refusal("dp -n red stats eth0"));
    }

    @Test
    void theSocketComesFromDashSThenTheEnvironmentThenTheDefault() {
        assertEquals(Path.of(ControlServerConfig.DEFAULT_SOCKET), parse("dp status").options().socket().path());
        environment.put("NSDP_SOCKET", "/tmp/env.sock");
        assertEquals(new DpSocket(Path.of("/tmp/env.sock"), "NSDP_SOCKET"), parse("dp status").options().socket());
        assertEquals(new DpSocket(Path.of("/tmp/opt.sock"), "-s"), parse("dp -s /tmp/opt.sock status").options().socket());
        assertEquals(Path.of("/tmp/o2.sock"), parse("dp --socket /tmp/o2.sock status").options().socket().path());
        assertEquals(Path.of("/tmp/o3.sock"), parse("dp -socket /tmp/o3.sock -n red port show").options().socket().path());
    }

    @Test
    void jsonIsAskedForBeforeOrAfterDp() {
        assertFalse(parse("dp ns list").options().json());
        assertTrue(parse("dp -j ns list").options().json());
        assertTrue(parse("dp --json -p ns list").options().pretty());
        context.json = true;
        assertTrue(parse("dp ns list").options().json());
    }

    @Test
    void helpAtEveryLevel() {
        final Help top = assertInstanceOf(Help.class, action("dp help"));
        assertTrue(top.text().contains("nsdp dp [DP-OPTIONS] OBJECT"), top.text());
        for (final String object : List.of("ns", "port", "vlan", "mac", "status", "stats")) {
            assertTrue(top.text().contains("nsdp dp " + (object.equals("ns") || object.equals("status") ? "" : "[-n NS] ") + object),
                object);
            final Help help = assertInstanceOf(Help.class, action("dp " + object + " help"));
            assertTrue(help.text().startsWith("Usage: nsdp dp"), help.text());
        }
        assertInstanceOf(Help.class, action("dp --help"));
        assertTrue(cli.globalUsage().contains("dp       the dataplane's"), cli.globalUsage());
    }

    @Test
    void unknownWordsListTheValidOnes() {
        assertEquals("unknown dataplane object 'frob'; the objects are: ns, port, vlan, mac, status, stats", refusal("dp frob"));
        assertEquals("unknown word 'frob' in `nsdp dp ns`; expected one of: add, delete, list, show, set, export, import",
            refusal("dp ns frob"));
        assertEquals("unknown word 'frob' in `nsdp dp port`; expected one of: add, delete, set, show, list", refusal("dp port frob"));
        assertEquals("unknown word 'bogus' in `port add eth0 type`; expected one of: afpacket, tap, memory",
            refusal("dp port add eth0 type bogus link x"));
        assertEquals("unknown word 'speed' in `port add eth0`; expected one of: type, link, dev, netns",
            refusal("dp port add eth0 type memory link m0 speed 10"));
        assertEquals("unknown word 'ttl' in `ns set red`; expected one of: forwarding, default-ttl, mac-aging, mac-limit",
            refusal("dp ns set red ttl 5"));
        assertEquals("unknown word 'sideways' in `port set eth0`; expected one of: up, down, netns", refusal("dp port set eth0 sideways"));
        assertEquals("dp option '-x' is unknown; the options are -n NS, -s PATH, -j, -p", refusal("dp -x ns list"));
        assertTrue(refusal("dp").startsWith("`nsdp dp` needs an OBJECT: ns, port"));
    }

    @Test
    void badValuesSayWhatIsWrong() {
        assertEquals("`port add eth0` needs a type: afpacket, tap or memory", refusal("dp port add eth0 link v0"));
        assertEquals("`port add eth0 type tap` needs dev TAP", refusal("dp port add eth0 type tap"));
        assertTrue(refusal("dp port add eth0 type memory link m0 netns lab").contains("has no kernel namespace"));
        assertEquals("'vid 5000': the value must be 1..4094", refusal("dp vlan add port eth0 vid 5000 netns blue"));
        assertEquals("'vid x': 'x' is not a number", refusal("dp vlan add port eth0 vid x netns blue"));
        assertEquals("`vlan add` needs port PORT vid VID netns NS2", refusal("dp vlan add port eth0 vid 5"));
        assertTrue(refusal("dp mac add zz port eth0").startsWith("'zz' is not a MAC address"));
        assertEquals("`mac add 02:00:00:00:00:01` needs port PORT", refusal("dp mac add 02:00:00:00:00:01"));
        assertEquals("forwarding must be on or off, got 'maybe'", refusal("dp ns set red forwarding maybe"));
        assertTrue(refusal("dp ns set red default-ttl 999").contains("default-ttl"));
        assertEquals("`ns set red` needs at least one setting: forwarding, default-ttl, mac-aging, mac-limit", refusal("dp ns set red"));
        assertTrue(refusal("dp ns add averyveryverylongname").contains("is 21 characters long, at most 15"));
        assertTrue(refusal("dp port add e/0 type memory link m0").startsWith("port name 'e/0'"));
        assertEquals("level '4' is not a namespace level; use 2 (full) or 3 (restricted)", refusal("dp ns add red level 4"));
        assertEquals("'owner' needs an argument", refusal("dp ns add red owner"));
        assertEquals("unexpected word 'blue' after `ns del red`", refusal("dp ns del red blue"));
        assertEquals("`ns del` needs a dataplane namespace name", refusal("dp ns del"));
        assertEquals("`port set eth0` needs up, down or netns NS", refusal("dp port set eth0"));
        assertTrue(refusal("dp ns import").startsWith("`ns import` needs a FILE"));
    }

    @Test
    void aKernelNamespaceBeforeDpIsRefusedWithTheRightPlace() {
        context.namespaceName = "red";
        assertEquals("-n before `dp` names a kernel network namespace; the dataplane namespace goes after `dp`: nsdp dp -n red ...",
            refusal("dp port show"));
    }

    @Test
    void aWrongCommandLineExitsTwoAndSendsNothing() {
        final ByteArrayOutputStream o = new ByteArrayOutputStream();
        final ByteArrayOutputStream e = new ByteArrayOutputStream();
        final int status = cli.run(List.of("dp", "-s", "/nonexistent/nsdp.sock", "port", "add", "eth0"),
            new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        final String text = e.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("nsdp: `port add eth0` needs a type: afpacket, tap or memory\nUsage: nsdp dp [-n NS] port add"), text);
        assertFalse(text.contains("cannot reach"), text);
    }
}

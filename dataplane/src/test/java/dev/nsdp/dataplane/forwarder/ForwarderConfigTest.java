package dev.nsdp.dataplane.forwarder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.dataplane.codec.MacAddress;
import dev.nsdp.dataplane.forwarder.ConfigStatement.PortKind;
import dev.nsdp.dataplane.namespace.Level;
import dev.nsdp.dataplane.nativ.KernelNamespace;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The configuration grammar and its checks: no kernel involved, every refusal names its line. */
class ForwarderConfigTest {

    private static ForwarderConfig parse(final String text) throws ConfigException {
        return ForwarderConfig.parse("test.conf", text.lines().toList());
    }

    private static ConfigException refused(final String text) {
        return assertThrows(ConfigException.class, () -> parse(text));
    }

    private static void assertProblem(final ConfigException e, final int line, final String... fragments) {
        final ConfigException.Problem problem = e.problems().stream().filter(p -> p.line() == line).findFirst()
            .orElseThrow(() -> new AssertionError("no problem on line " + line + " in " + e.problems()));
        for (final String fragment : fragments) {
            assertTrue(problem.message().contains(fragment), "line " + line + " says '" + fragment + "': " + problem);
        }
        assertTrue(e.getMessage().contains("line " + line + ": "), e.getMessage());
    }

    @Test
    void aCompleteFileParsesIntoItsStatementsInOrder() throws ConfigException {
        final ForwarderConfig config = parse("""
            # two tenants and a trunk
            dataplane pool-buffers 8192 mac-table-entries 65536
            namespace red                       # level 2 by default
            namespace blue level l3 owner alice
            port red v-red0 afpacket link veth-r0 netns lab up rx-frames 2048 tx-frames 512 frame-size 4096 qdisc-bypass
            port red t0 tap name nsdptap0 netns /proc/1/ns/net up
            port root trunk afpacket link veth9
            port blue t1 tap
            vlan root trunk 100 red
            mac red 02:00:00:00:00:01 port v-red0
            set red mac-aging 60
            """);
        assertEquals(8192, config.dataplane().poolBuffers());
        assertEquals(65536, config.dataplane().macTableEntries());
        assertEquals(9, config.statements().size(), "the dataplane line is sizing, not a statement");
        assertEquals(List.of("red", "blue"), config.namespaces().stream().map(ConfigStatement.Namespace::name).toList());
        assertEquals(Level.L3, config.namespaces().get(1).level());
        assertEquals("alice", config.namespaces().get(1).owner());

        final ConfigStatement.Port veth = config.ports().get(0);
        assertEquals(5, veth.line());
        assertEquals(PortKind.AFPACKET, veth.kind());
        assertEquals("veth-r0", veth.link());
        assertEquals("lab", veth.kernelNamespace().displayName());
        assertEquals(Path.of("/run/netns/lab"), veth.kernelNamespace().path());
        assertTrue(veth.up());
        assertEquals(2048, veth.options().rxFrames());
        assertEquals(512, veth.options().txFrames());
        assertEquals(4096, veth.options().frameSize());
        assertTrue(veth.options().qdiscBypass());
        assertTrue(veth.options().promiscuous());
        assertEquals("lab", veth.options().namespace().displayName());

        final ConfigStatement.Port tap = config.ports().get(1);
        assertEquals(PortKind.TAP, tap.kind());
        assertEquals("nsdptap0", tap.link());
        assertEquals(Path.of("/proc/1/ns/net"), tap.kernelNamespace().path());
        assertNull(tap.options());

        final ConfigStatement.Port trunk = config.ports().get(2);
        assertTrue(trunk.kernelNamespace().isCurrent());
        assertFalse(trunk.up(), "ports are attached down unless the line says up");
        assertEquals("t1", config.ports().get(3).link(), "a tap is named after its port by default");

        final ConfigStatement.Vlan vlan = (ConfigStatement.Vlan) config.statements().get(6);
        assertEquals(100, vlan.vlanId());
        assertEquals("red", vlan.target());
        final ConfigStatement.StaticMac mac = (ConfigStatement.StaticMac) config.statements().get(7);
        assertEquals(MacAddress.parse("02:00:00:00:00:01"), mac.mac());
    }

    @Test
    void defaultsNeedNoDataplaneLine() throws ConfigException {
        final ForwarderConfig config = parse("port root p0 afpacket link veth9\n");
        assertEquals(dev.nsdp.dataplane.Dataplane.Config.DEFAULTS, config.dataplane());
        assertEquals(KernelNamespace.current(), config.ports().getFirst().kernelNamespace());
        assertEquals(1024, config.ports().getFirst().options().rxFrames());
    }

    @Test
    void syntaxErrorsNameTheLineWhatIsWrongAndWhatToDo() {
        final ConfigException e = refused("""
            namespace red
            port red v0 afpackt link x
            port red v1 afpacket lnk x
            port red v2 afpacket up
            port red v3 tap link x
            port red v4 afpacket link x rx-frames many
            port red v5 afpacket link x frame-size 3000
            port red v6 afpacket link this-name-is-far-too-long
            vlan red v0 5000 red
            mac red 02:00:00:00:00 port v0
            set red mac-aging
            frobnicate red
            namespace blue level l4
            port red v7 afpacket link x netns a/b
            dataplane pool-buffers 10
            """);
        assertProblem(e, 2, "unknown port kind 'afpackt'", "use afpacket or tap");
        assertProblem(e, 3, "unknown option 'lnk'", "rx-frames");
        assertProblem(e, 4, "needs the kernel link it opens", "link LINK");
        assertProblem(e, 5, "'link' is an option of afpacket ports", "name, netns, up");
        assertProblem(e, 6, "rx-frames must be a decimal number", "'many'");
        assertProblem(e, 7, "frame-size", "power of two");
        assertProblem(e, 8, "at most 15");
        assertProblem(e, 9, "VLAN id must be 1..4094", "5000");
        assertProblem(e, 10, "not a MAC address", "six hex pairs");
        assertProblem(e, 11, "set takes a namespace, a setting and a value");
        assertProblem(e, 12, "unknown statement 'frobnicate'");
        assertProblem(e, 13, "level must be l2", "l4");
        assertProblem(e, 14, "neither a name from `ip netns list` nor an absolute path");
        assertProblem(e, 15, "pool-buffers must be 1024..");
        assertTrue(e.getMessage().startsWith("test.conf: "), e.getMessage());
        assertTrue(e.getMessage().contains("nothing was applied"), e.getMessage());
    }

    @Test
    void theNamespaceModelJudgesEveryLineInTheDryRun() {
        final ConfigException e = refused("""
            namespace red
            namespace red
            namespace l3ns level l3
            port red v0 afpacket link veth0 netns lab
            port red v0 afpacket link veth1 netns lab
            port blu v1 afpacket link veth2
            vlan red v0 10 nowhere
            mac l3ns 02:00:00:00:00:01 port v0
            mac red 01:00:5e:00:00:01 port v0
            mac red 02:00:00:00:00:02 port nope
            set red colour blue
            set red mac-limit 0
            port red v9 afpacket link veth0 netns lab
            namespace root
            port red lo afpacket link veth3
            """);
        assertProblem(e, 2, "namespace 'red' already exists");
        assertProblem(e, 5, "already has a device 'v0'");
        assertProblem(e, 6, "namespace 'blu' does not exist");
        assertProblem(e, 7, "'nowhere' does not exist");
        assertProblem(e, 8, "level 3 and has no MAC table");
        assertProblem(e, 9, "group (multicast or broadcast) address");
        assertProblem(e, 10, "no device 'nope'");
        assertProblem(e, 11, "unknown setting 'colour'");
        assertProblem(e, 12, "mac-limit must be");
        assertProblem(e, 13, "kernel link 'veth0' in kernel namespace 'lab' is already port red/v0 (line 4)");
        assertProblem(e, 14, "root namespace 'root' always exists");
        assertProblem(e, 15, "'lo'");
        assertEquals(12, e.problems().size(), "every problem of the file at once: " + e.problems());
    }

    @Test
    void anEmptyOrCommentOnlyFileIsValidAndForwardsNothing() throws ConfigException {
        final ForwarderConfig config = parse("# nothing yet\n\n   \n");
        assertTrue(config.statements().isEmpty());
    }
}

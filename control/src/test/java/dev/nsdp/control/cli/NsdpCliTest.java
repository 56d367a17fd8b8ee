package dev.nsdp.control.cli;

import static dev.nsdp.control.testing.KernelLab.ip;
import static dev.nsdp.control.testing.KernelLab.ipJson;
import static dev.nsdp.control.testing.KernelLab.ipLink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.control.testing.JsonReader;
import dev.nsdp.control.testing.KernelLab;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nsdp command line against iproute2: commands in ip's grammar do what ip would, and
 * {@code nsdp -j ... show} prints what {@code ip -j ... show} prints (same keys, same values).
 */
class NsdpCliTest {
    private KernelLab lab;
    private String ns;

    @BeforeEach
    void setUp() {
        lab = new KernelLab();
        ns = lab.name("c");
    }

    @AfterEach
    void tearDown() {
        lab.close();
    }

    private record Run(int status, String out, String err) {
    }

    private static Run nsdp(final String... args) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = new NsdpCli().run(Arrays.asList(args), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void ok(final String... args) {
        final Run r = nsdp(args);
        assertEquals(0, r.status, "nsdp " + String.join(" ", args) + ": " + r.err);
    }

    /** A lab namespace set up through the CLI only: veths, a macvlan, addresses, routes. */
    private void buildThroughTheCli() {
        ok("netns", "add", ns);
        ok("-n", ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1");
        ok("-n", ns, "link", "add", "link", "v1", "name", "mv0", "type", "macvlan", "mode", "bridge");
        ok("-n", ns, "link", "set", "dev", "v0", "up", "mtu", "1400", "address", "02:00:5e:00:00:10");
        ok("-n", ns, "link", "set", "v1", "up");
        ok("-n", ns, "link", "set", "dev", "lo", "up");
        ok("-n", ns, "addr", "add", "198.18.20.1/24", "dev", "v0");
        ok("-n", ns, "address", "add", "2001:db8:20::1/64", "dev", "v0");
        ok("-n", ns, "a", "add", "198.18.21.1/24", "dev", "v1");
        ok("-n", ns, "route", "add", "198.18.200.0/24", "via", "198.18.20.2");
        ok("-n", ns, "r", "add", "198.18.201.0/24", "dev", "v1", "metric", "5");
        ok("-n", ns, "-6", "route", "add", "2001:db8:200::/48", "via", "2001:db8:20::2");
        ok("-n", ns, "route", "add", "default", "via", "198.18.21.254");
    }

    @Test
    void showsAreWhatIpShows() {
        buildThroughTheCli();
        assertSameJson(ipJson("-n", ns, "link", "show"), nsdp("-n", ns, "-j", "link", "show"));
        assertSameJson(ipJson("-n", ns, "addr", "show"), nsdp("-n", ns, "-j", "addr", "show"));
        assertSameJson(ipJson("-n", ns, "route", "show"), nsdp("-n", ns, "-j", "route", "show"));
        assertSameJson(ipJson("-n", ns, "-6", "route", "show"), nsdp("-n", ns, "-6", "-j", "route", "show"));
        assertSameJson(ipJson("-n", ns, "-4", "addr", "show"), nsdp("-n", ns, "-4", "-j", "addr", "show"));
        assertSameJson(ipJson("-n", ns, "link", "show", "dev", "v0"), nsdp("-n", ns, "-j", "link", "show", "dev", "v0"));
    }

    @Test
    void showsOfWhatIpMadeAreWhatIpShows() {
        ip("netns", "add", ns);
        ip("-n", ns, "link", "add", "a0", "type", "veth", "peer", "name", "a1");
        ip("-n", ns, "link", "set", "a0", "up");
        ip("-n", ns, "addr", "add", "198.18.30.1/24", "dev", "a0");
        ip("-n", ns, "route", "add", "198.18.31.0/24", "dev", "a0");
        assertSameJson(ipJson("-n", ns, "link", "show"), nsdp("-n", ns, "-j", "l", "sh"));
        assertSameJson(ipJson("-n", ns, "addr", "show"), nsdp("-n", ns, "-j", "a"));
        assertSameJson(ipJson("-n", ns, "route", "show"), nsdp("-n", ns, "-j", "r", "list"));
    }

    @Test
    void vethPeerInANamespaceAndMoveAndDelete() {
        final String v = lab.name("v");
        ok("netns", "add", ns);
        ok("link", "add", v, "type", "veth", "peer", "name", "eth0", "netns", ns);
        assertNotNull(ipLink(null, v));
        assertNotNull(ipLink(ns, "eth0"));
        ok("link", "set", "dev", v, "netns", ns);
        assertNull(ipLink(null, v));
        assertNotNull(ipLink(ns, v));
        ok("-n", ns, "link", "del", "dev", v);
        assertNull(ipLink(ns, "eth0"), "deleting one end deleted the pair");
    }

    @Test
    void netnsListIsIpsAndExecRunsInside() {
        ok("netns", "add", ns);
        ip("netns", "add", lab.name("d"));
        final Run list = nsdp("-j", "netns", "list");
        assertEquals(0, list.status);
        final List<Object> mine = new ArrayList<>();
        for (final Map<String, Object> entry : JsonReader.parseList(list.out.trim())) {
            mine.add(entry.get("name"));
        }
        final List<Object> ips = new ArrayList<>();
        for (final Map<String, Object> entry : ipJson("netns", "list")) {
            ips.add(entry.get("name"));
        }
        assertEquals(sorted(ips), sorted(mine));
        assertTrue(nsdp("netns").out.contains(ns));

        assertEquals(3, nsdp("netns", "exec", ns, "sh", "-c", "exit 3").status);
        assertEquals(127, nsdp("netns", "exec", ns, "/nonexistent/cmd").status);
        ok("netns", "del", ns);
        assertFalse(ip("netns", "list").contains(ns + " ") || ip("netns", "list").contains(ns + "\n"));
    }

    @Test
    void tuntap() {
        ok("netns", "add", ns);
        ok("-n", ns, "tuntap", "add", "dev", "tap0", "mode", "tap");
        final Map<?, ?> info = (Map<?, ?>) ipLink(ns, "tap0").get("linkinfo");
        assertEquals("tun", info.get("info_kind"));
        assertTrue(nsdp("-n", ns, "tuntap", "show").out.contains("tap0: tap"));
        ok("-n", ns, "tuntap", "del", "dev", "tap0", "mode", "tap");
        assertNull(ipLink(ns, "tap0"));
    }

    @Test
    void exitStatusesAndMessages() {
        ok("netns", "add", ns);
        ok("-n", ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1");

        final Run exists = nsdp("-n", ns, "link", "add", "v0", "type", "veth", "peer", "name", "v2");
        assertEquals(1, exists.status);
        assertTrue(exists.err.contains("EEXIST"), exists.err);
        assertTrue(exists.err.contains("link 'v0' already exists in namespace '" + ns + "'"), exists.err);
        assertNull(ipLink(ns, "v2"), "nothing was made");

        final Run missing = nsdp("-n", ns, "link", "set", "dev", "nope", "up");
        assertEquals(1, missing.status);
        assertTrue(missing.err.contains("ENODEV") && missing.err.contains("there is no link 'nope'"), missing.err);

        final Run tooLong = nsdp("-n", ns, "link", "add", "abcdefghijklmnop", "type", "veth");
        assertEquals(2, tooLong.status);
        assertTrue(tooLong.err.contains("1..15 bytes"), tooLong.err);

        final Run badPrefix = nsdp("-n", ns, "addr", "add", "198.18.0.1/40", "dev", "v0");
        assertEquals(2, badPrefix.status);
        assertTrue(badPrefix.err.contains("198.18.0.1/40"), badPrefix.err);

        final Run noDev = nsdp("-n", ns, "addr", "add", "198.18.0.1/24");
        assertEquals(2, noDev.status);
        assertTrue(noDev.err.contains("needs 'dev NAME'") && noDev.err.contains("Usage:"), noDev.err);

        final Run unknown = nsdp("frobnicate");
        assertEquals(2, unknown.status);
        assertTrue(unknown.err.contains("object 'frobnicate' is unknown"), unknown.err);

        final Run badOption = nsdp("-n", ns, "link", "set", "dev", "v0", "colour", "red");
        assertEquals(2, badOption.status);

        final Run noNs = nsdp("-n", lab.name("zz"), "link", "show");
        assertEquals(1, noNs.status);
        assertTrue(noNs.err.contains("nsdp netns add " + lab.name("zz")), noNs.err);
        assertEquals(2, ipJson("-n", ns, "link", "show").size() - 1, "v0, v1 and lo only");
    }

    @Test
    void helpAtEveryLevel() {
        for (final String[] args : new String[][] {
            {"help"}, {"-h"}, {"--help"}, {"link", "help"}, {"link", "add", "help"}, {"address", "help"},
            {"route", "help"}, {"netns", "help"}, {"tuntap", "help"}, {"l", "set", "--help"},
        }) {
            final Run r = nsdp(args);
            assertEquals(0, r.status, String.join(" ", args));
            assertTrue(r.out.contains("Usage:"), String.join(" ", args) + ": " + r.out);
        }
    }

    @Test
    void batchRunsEveryLineAndReportsFailuresByLine(@TempDir final Path dir) throws IOException {
        final List<String> lines = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            lines.add("netns add " + lab.name("b" + i));
        }
        for (int i = 0; i < 30; i++) {
            lines.add("link add " + lab.name("v" + i) + " type veth peer name eth0 netns " + lab.name("b" + i));
        }
        lines.add("# a comment, then a blank line");
        lines.add("");
        lines.add("link set dev " + lab.name("v0") + " up");
        final Path create = dir.resolve("create");
        Files.write(create, lines);
        ok("-batch", create.toString());
        for (int i = 0; i < 30; i++) {
            assertNotNull(ipLink(lab.name("b" + i), "eth0"), "eth0 in namespace " + i);
            assertNotNull(ipLink(null, lab.name("v" + i)));
        }
        assertTrue(((List<?>) ipLink(null, lab.name("v0")).get("flags")).contains("UP"));

        final List<String> delete = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            delete.add("link del " + lab.name("v" + i));
        }
        delete.add("link del " + lab.name("nosuch"));
        for (int i = 0; i < 30; i++) {
            delete.add("netns del " + lab.name("b" + i));
        }
        final Path remove = dir.resolve("delete");
        Files.write(remove, delete);
        final Run stopped = nsdp("-batch", remove.toString());
        assertEquals(1, stopped.status);
        assertTrue(stopped.err.contains(remove + ":31:"), stopped.err);
        assertNull(ipLink(null, lab.name("v5")), "the links of the run were deleted");
        assertTrue(ip("netns", "list").contains(lab.name("b0")), "without -force the batch stopped there");

        final Run forced = nsdp("-force", "-batch", remove.toString());
        assertEquals(1, forced.status);
        assertFalse(ip("netns", "list").contains(lab.name("b1")), "with -force it went on");
    }

    @Test
    void aWrongLineInABatchRunsNothing(@TempDir final Path dir) throws IOException {
        final Path file = dir.resolve("bad");
        Files.write(file, List.of("netns add " + ns, "link add x0 type veth peer name", "link frob"));
        final Run r = nsdp("-batch", file.toString());
        assertEquals(2, r.status);
        assertTrue(r.err.contains(file + ":3:"), r.err);
        assertFalse(ip("netns", "list").contains(ns));
    }

    private static void assertSameJson(final List<Map<String, Object>> expected, final Run actual) {
        assertEquals(0, actual.status, actual.err);
        final List<Map<String, Object>> mine = JsonReader.parseList(actual.out.trim());
        assertEquals(expected, mine);
    }

    private static List<Object> sorted(final List<Object> list) {
        final List<Object> copy = new ArrayList<>(list);
        copy.sort((a, b) -> String.valueOf(a).compareTo(String.valueOf(b)));
        return copy;
    }
}

package dev.nsdp.control.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.control.api.Authenticator;
import dev.nsdp.control.api.ControlServer;
import dev.nsdp.control.api.ControlServerConfig;
import dev.nsdp.control.api.ControlService;
import dev.nsdp.control.api.KernelPortFactory;
import dev.nsdp.control.testing.KernelLab;
import dev.nsdp.dataplane.Dataplane;
import dev.nsdp.dataplane.namespace.Caller;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nsdp apply} and {@code nsdp destroy} with real kernel namespaces and veths, and a real
 * dataplane whose ports are AF_PACKET sockets (the daemon's {@link KernelPortFactory}) behind a
 * control server on a temporary socket. What apply makes is checked with iproute2's own view and
 * with a ping through nsdp; a second apply, a partly removed lab, a conflicting object, destroy.
 */
class LabCommandTest {
    @TempDir
    Path dir;

    private KernelLab kernel;
    private Dataplane dataplane;
    private ControlService service;
    private ControlServer server;
    private String h1;
    private String h2;
    private String v1;
    private String v2;

    private record Run(int status, String out, String err) {
    }

    @BeforeEach
    void start() {
        kernel = new KernelLab();
        h1 = kernel.name("h1");
        h2 = kernel.name("h2");
        v1 = kernel.name("v1");
        v2 = kernel.name("v2");
        dataplane = new Dataplane(new Dataplane.Config(2048, 4096)).start();
        service = new ControlService(dataplane.namespaces(), new KernelPortFactory(dataplane::sync), null);
        service.start();
        server = ControlServer.start(ControlServerConfig.DEFAULTS.withSocket(dir.resolve("nsdp.sock")).withSocketGroup(null),
            service, Authenticator.fixed(Caller.administrator("lab")));
    }

    @AfterEach
    void stop() {
        try {
            server.close();
            service.close();
            dataplane.close();
        } finally {
            kernel.close();
        }
    }

    private Path lab(final String... lines) throws IOException {
        final Path file = dir.resolve("lab-" + System.nanoTime() + ".lab");
        Files.write(file, List.of(lines));
        return file;
    }

    private Path twoHosts() throws IOException {
        return lab(
            "# two hosts on one dataplane namespace",
            "netns add " + h1,
            "netns add " + h2,
            "link add " + v1 + " type veth peer name lan0 netns " + h1,
            "link add " + v2 + " type veth peer name lan0 netns " + h2,
            "link set dev " + v1 + " up",
            "link set dev " + v2 + " up",
            "-n " + h1 + " link set dev lan0 up",
            "-n " + h2 + " link set dev lan0 up",
            "-n " + h1 + " addr add 198.18.7.1/24 dev lan0",
            "-n " + h2 + " addr add 198.18.7.2/24 dev lan0",
            "dp ns add labred",
            "dp -n labred port add p1 type afpacket link " + v1,
            "dp -n labred port add p2 type afpacket link " + v2,
            "dp -n labred port set p1 up",
            "dp -n labred port set p2 up");
    }

    private Run nsdp(final String verb, final Path file, final String... more) {
        final List<String> args = new ArrayList<>(List.of(verb, file.toString(), "-s", server.socketPath().toString()));
        args.addAll(List.of(more));
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = new NsdpCli().run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private boolean netnsExists(final String name) {
        return KernelLab.ipJson("netns", "list").stream().anyMatch(n -> name.equals(n.get("name")));
    }

    private boolean hasAddress(final String ns, final String address) {
        for (final Map<String, Object> link : KernelLab.ipJson("-n", ns, "addr", "show", "dev", "lan0")) {
            if (link.get("addr_info") instanceof List<?> infos) {
                for (final Object info : infos) {
                    if (info instanceof Map<?, ?> a && address.equals(a.get("local"))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private boolean pings(final String from, final String to) {
        return KernelLab.run(List.of("ip", "netns", "exec", from, "ping", "-c", "2", "-i", "0.2", "-W", "2", to)).status() == 0;
    }

    @Test
    void applyMakesTheLabOnceAndCompletesAPartialOne() throws IOException {
        final Path file = twoHosts();
        final Run dry = nsdp("apply", file, "--dry-run");
        assertEquals(0, dry.status, dry.err);
        assertTrue(dry.out.contains("15 change(s)"), dry.out);
        assertFalse(netnsExists(h1), "a dry run changes nothing");

        final Run first = nsdp("apply", file);
        assertEquals(0, first.status, first.out + first.err);
        assertTrue(netnsExists(h1) && netnsExists(h2), "iproute2 sees the namespaces");
        assertNotNull(KernelLab.ipLink(null, v1));
        assertNotNull(KernelLab.ipLink(h1, "lan0"));
        assertTrue(hasAddress(h1, "198.18.7.1") && hasAddress(h2, "198.18.7.2"));
        assertTrue(pings(h1, "198.18.7.2"), "a ping crosses nsdp's AF_PACKET ports");

        final Run second = nsdp("apply", file);
        assertEquals(0, second.status, second.err);
        assertTrue(second.out.contains("nothing to do"), second.out);

        KernelLab.ip("-n", h2, "addr", "del", "198.18.7.2/24", "dev", "lan0");
        final Run third = nsdp("apply", file);
        assertEquals(0, third.status, third.err);
        assertTrue(third.out.contains("1 change(s)") && third.out.contains("addr add 198.18.7.2/24"), third.out);
        assertTrue(hasAddress(h2, "198.18.7.2"));

        final Run destroy = nsdp("destroy", file);
        assertEquals(0, destroy.status, destroy.out + destroy.err);
        assertFalse(netnsExists(h1) || netnsExists(h2));
        assertNull(KernelLab.ipLink(null, v1));
        assertNull(KernelLab.ipLink(null, v2));
        final Run again = nsdp("destroy", file);
        assertEquals(0, again.status, again.err);
        assertTrue(again.out.contains("nothing to do"), again.out);
    }

    @Test
    void aBadLineOrAConflictChangesNothing() throws IOException {
        final Run bad = nsdp("apply", lab("netns add " + h1, "link frobnicate " + v1));
        assertEquals(2, bad.status, bad.err);
        assertTrue(bad.err.contains(":2:") && bad.err.contains("link frobnicate"), bad.err);
        assertFalse(netnsExists(h1), "nothing runs when a line is wrong");

        final Path file = twoHosts();
        assertEquals(0, nsdp("apply", file).status);
        final Path other = lab(
            "netns add " + kernel.name("h3"),
            "dp ns add labred",
            "dp -n labred port add p1 type afpacket link " + v2);
        final Run conflict = nsdp("apply", other);
        assertEquals(1, conflict.status);
        assertTrue(conflict.err.contains("port 'p1'") && conflict.err.contains(v1), conflict.err);
        assertFalse(netnsExists(kernel.name("h3")), "a conflict is found before anything changes");
        assertEquals(0, nsdp("destroy", file).status);
    }

    @Test
    void aPortWhoseLinkIsDeletedAndMadeAgainIsReopenedInPlace() throws IOException {
        final Path file = twoHosts();
        assertEquals(0, nsdp("apply", file).status);
        assertTrue(pings(h1, "198.18.7.2"));
        assertEquals(0, service.reopenPorts(), "nothing to reopen while every link is there");

        // The host's veth goes away and comes back: a new ifindex, which the old socket is not bound to.
        KernelLab.ip("link", "del", v2);
        KernelLab.ip("link", "add", v2, "type", "veth", "peer", "name", "lan0", "netns", h2);
        KernelLab.ip("link", "set", v2, "up");
        KernelLab.ip("-n", h2, "link", "set", "lan0", "up");
        KernelLab.ip("-n", h2, "addr", "add", "198.18.7.2/24", "dev", "lan0");
        assertEquals(1, service.reopenPorts(), "the stale port is reopened");
        KernelLab.ip("-n", h1, "neigh", "flush", "all"); // the new lan0 has a new MAC; h1 must not use the old one
        assertTrue(pings(h1, "198.18.7.2"), "traffic flows again, with the configuration unchanged");
        final Run again = nsdp("apply", file);
        assertTrue(again.out.contains("nothing to do"), "the port kept its name and state: " + again.out);
        assertEquals(0, nsdp("destroy", file).status);
    }
}

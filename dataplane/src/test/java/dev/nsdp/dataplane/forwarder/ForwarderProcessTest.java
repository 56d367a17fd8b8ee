package dev.nsdp.dataplane.forwarder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.dataplane.forwarder.HostLab.Host;
import dev.nsdp.dataplane.nativ.KernelLab;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forwarder as an operator runs it: a separate JVM started like scripts/forward does (java
 * with scripts/jvm.options and the module's class path), stopped by signals, judged by its exit
 * status, its output and what it leaves in the kernel.
 */
class ForwarderProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static HostLab hosts;
    private static Host left;
    private static Host right;
    private static String tapHost;

    @TempDir
    Path dir;
    private final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void createHosts() {
        hosts = new HostLab();
        try {
            left = hosts.host("pl", "02:00:5e:20:00:01", "198.18.1.1/24", null);
            right = hosts.host("pr", "02:00:5e:20:00:02", "198.18.1.2/24", null);
            tapHost = hosts.tapHost("pt");
        } catch (final RuntimeException | Error e) {
            hosts.close();
            throw e;
        }
    }

    @AfterAll
    static void removeHosts() {
        if (hosts != null) {
            hosts.close();
        }
    }

    @AfterEach
    void killLeftovers() {
        for (final Process process : started) {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    /** The command scripts/forward runs: this JDK, the project's JVM flags, the module's classes. */
    private static List<String> forwardCommand(final String... args) throws IOException {
        final Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        final String dependencies = Files.readString(module.resolve("target/classpath.txt")).trim();
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "@" + module.resolveSibling("scripts").resolve("jvm.options"),
            "-cp", module.resolve("target/classes") + (dependencies.isEmpty() ? "" : ":" + dependencies),
            ForwarderMain.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    private Process start(final Path output, final List<String> command) throws IOException {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        started.add(process);
        return process;
    }

    private Path config(final String text) throws IOException {
        final Path file = dir.resolve("forward.conf");
        Files.writeString(file, text);
        return file;
    }

    private String twoPortsAndATap(final String tap) {
        return "dataplane pool-buffers 4096 mac-table-entries 4096\n"
            + "namespace lab\n"
            + "port lab left afpacket link " + left.switchLink() + " netns " + hosts.switchNamespace + " up\n"
            + "port lab right afpacket link " + right.switchLink() + " netns " + hosts.switchNamespace + " up\n"
            + "port lab t0 tap name " + tap + " netns " + tapHost + " up\n";
    }

    private static void signal(final Process process, final String signal) {
        KernelLab.run("kill", "-" + signal, Long.toString(process.pid())).checked();
    }

    @Test
    void sigtermDuringTrafficDrainsClosesEverythingAndExitsZero() throws Exception {
        final String tap = hosts.lab.link("pt");
        final Path stats = dir.resolve("stats.json");
        final Path output = dir.resolve("out.txt");
        final Process forwarder = start(output, forwardCommand("--status-interval", "1", "--stats-file", stats.toString(),
            config(twoPortsAndATap(tap)).toString()));
        assertTrue(HostLab.await(WAIT, () -> read(output).contains("forwarding.")), "started: " + read(output));
        assertTrue(hosts.linkExists(tapHost, tap), "the TAP exists while the forwarder runs");
        assertEquals(2, hosts.packetSockets(hosts.switchNamespace));
        assertTrue(hosts.pingEventually(left.namespace(), right.address(), 10), read(output));

        // Traffic in flight: a fast ping stream (about 500 per second) for longer than we wait.
        final Process stream = hosts.lab.start(left.namespace(), "ping", "-n", "-q", "-c", "5000", "-i", "0.002",
            "-W", "1", right.address());
        assertTrue(HostLab.await(WAIT, () -> read(stats).contains("\"rx_packets\"") && rxPackets(read(stats)) > 300),
            "the stream flows through the forwarder: " + read(stats));
        signal(forwarder, "USR1");
        assertTrue(HostLab.await(WAIT, () -> read(output).contains("nsdp forward counters at")), "SIGUSR1 dumps counters");

        signal(forwarder, "TERM");
        assertTrue(forwarder.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "stopped in time: " + read(output));
        assertEquals(0, forwarder.exitValue(), "a clean stop exits 0: " + read(output));
        assertTrue(stream.isAlive() || stream.exitValue() != 0, "the stop came mid-stream");
        stream.destroy();

        final String text = read(output);
        assertTrue(text.contains("nsdp forward: rx "), "status lines: " + text);
        assertTrue(text.contains("stopped; every port closed"), text);
        assertTrue(rxPackets(read(stats)) > 300, "the stats file's last state counts the stream: " + read(stats));
        assertFalse(hosts.linkExists(tapHost, tap), "the TAP it created is gone");
        assertEquals(0, hosts.packetSockets(hosts.switchNamespace), "no AF_PACKET socket left");
        assertTrue(hosts.lab.ip("-n", hosts.switchNamespace, "-d", "link", "show", left.switchLink()).contains("promiscuity 0"),
            "promiscuous membership dropped");
        assertFalse(Files.exists(dir.resolve("stats.json.tmp")), "no temporary stats file left");
        assertTrue(forwarder.descendants().findAny().isEmpty(), "no child process left");
    }

    @Test
    void sigintStopsCleanlyToo() throws Exception {
        final Path output = dir.resolve("out.txt");
        final Process forwarder = start(output, forwardCommand("--status-interval", "0",
            config("namespace lab\nport lab left afpacket link " + left.switchLink() + " netns " + hosts.switchNamespace
                + " up\n").toString()));
        assertTrue(HostLab.await(WAIT, () -> read(output).contains("forwarding.")), read(output));
        signal(forwarder, "INT");
        assertTrue(forwarder.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), read(output));
        assertEquals(0, forwarder.exitValue(), read(output));
        assertEquals(0, hosts.packetSockets(hosts.switchNamespace));
    }

    @Test
    void withoutPrivilegeItRefusesToStartAndSaysWhatToDo() throws Exception {
        final String tap = hosts.lab.link("pu");
        final List<String> command = new ArrayList<>(List.of("setpriv", "--bounding-set", "-net_admin,-net_raw,-sys_admin"));
        command.addAll(forwardCommand(config(twoPortsAndATap(tap)).toString()));
        final Path output = dir.resolve("out.txt");
        final Process forwarder = start(output, command);
        assertTrue(forwarder.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(ForwarderMain.EXIT_FAILED, forwarder.exitValue(), read(output));
        final String text = read(output);
        assertTrue(text.contains("lacks CAP_NET_ADMIN") && text.contains("CAP_NET_RAW") && text.contains("CAP_SYS_ADMIN"), text);
        assertTrue(text.contains("run it as root, or inside `unshare -Urnm`"), text);
        assertFalse(hosts.linkExists(tapHost, tap), "nothing was created");
    }

    @Test
    void aBadFileIsRefusedWholeWithExitTwoAndNothingIsCreated() throws Exception {
        final String tap = hosts.lab.link("pb");
        final Path output = dir.resolve("out.txt");
        final Process forwarder = start(output, forwardCommand(config(twoPortsAndATap(tap)
            + "vlan lab left 4095 lab\nmac lab zz port left\n").toString()));
        assertTrue(forwarder.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(ForwarderMain.EXIT_USAGE, forwarder.exitValue(), read(output));
        final String text = read(output);
        assertTrue(text.contains("2 errors, nothing was applied") && text.contains("line 6: ") && text.contains("line 7: "), text);
        assertFalse(hosts.linkExists(tapHost, tap), "a refused file creates no TAP");
        assertEquals(0, hosts.packetSockets(hosts.switchNamespace));

        final Process check = start(dir.resolve("check.txt"), forwardCommand("--check", config(twoPortsAndATap(tap)).toString()));
        assertTrue(check.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, check.exitValue(), read(dir.resolve("check.txt")));
        assertTrue(read(dir.resolve("check.txt")).contains("OK, 1 namespaces and 3 ports"));
        assertFalse(hosts.linkExists(tapHost, tap), "--check opens nothing");

        final Process usage = start(dir.resolve("usage.txt"), forwardCommand("--cpu"));
        assertTrue(usage.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(ForwarderMain.EXIT_USAGE, usage.exitValue());
        assertTrue(read(dir.resolve("usage.txt")).contains("--cpu needs a value"), read(dir.resolve("usage.txt")));
    }

    private static long rxPackets(final String json) {
        final int at = json.indexOf("\"rx_packets\":");
        if (at < 0) {
            return -1;
        }
        int end = at + "\"rx_packets\":".length();
        final int start = end;
        while (end < json.length() && Character.isDigit(json.charAt(end))) {
            end++;
        }
        return Long.parseLong(json.substring(start, end));
    }

    private static String read(final Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (final IOException e) {
            return "";
        }
    }
}

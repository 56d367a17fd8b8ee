package dev.nsdp.perf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.dataplane.nativ.KernelLab;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code perf gen} and {@code perf sink} on real kernel links, each opened inside its own kernel
 * network namespace ({@code --netns}): over a veth pair, over two TAPs joined by a Linux bridge,
 * and through a real device under test (a kernel namespace that routes), at 5 kpps. The accounting
 * must be exact (received + lost = sent, no duplicates, no reordering) and latency measured.
 * Bounded by count and by duration.
 */
class RealLinkTest {
    private static final int FRAMES = 10_000;

    @TempDir
    Path dir;

    /** Output that releases a latch once the sink says it is listening. */
    private static final class ReadySignal extends OutputStream {
        final CountDownLatch ready = new CountDownLatch(1);
        private final ByteArrayOutputStream text = new ByteArrayOutputStream();

        @Override
        public synchronized void write(final int b) {
            text.write(b);
            if (b == '\n' && text.toString(StandardCharsets.UTF_8).contains("nsdp perf sink on")) {
                ready.countDown();
            }
        }

        @Override
        public synchronized String toString() {
            return text.toString(StandardCharsets.UTF_8);
        }
    }

    private record Outcome(int genStatus, String genJson, int sinkStatus, String sinkJson, String sinkOut) {
    }

    private Outcome run(final String[] sinkPort, final String[] genPort, final String... traffic) throws Exception {
        final Path sinkJson = dir.resolve("sink-" + System.nanoTime() + ".json");
        final Path genJson = dir.resolve("gen-" + System.nanoTime() + ".json");
        final ReadySignal sinkOut = new ReadySignal();
        final AtomicBoolean stop = new AtomicBoolean();
        final String[] sinkArgs = concat(new String[] {"sink"}, sinkPort,
            new String[] {"--duration", "30s", "--idle-stop", "3s", "--quiet", "--json", sinkJson.toString()});
        final CompletableFuture<Integer> sink = CompletableFuture.supplyAsync(() ->
            PerfCommand.run(sinkArgs, new PrintStream(sinkOut, true, StandardCharsets.UTF_8),
                new PrintStream(sinkOut, true, StandardCharsets.UTF_8), stop));
        assertTrue(sinkOut.ready.await(60, TimeUnit.SECONDS), "the sink did not start: " + sinkOut);
        final ByteArrayOutputStream genOut = new ByteArrayOutputStream();
        final String[] genArgs = concat(concat(new String[] {"gen"}, genPort, traffic), new String[0],
            new String[] {"--rate", "5k", "--count", String.valueOf(FRAMES), "--quiet",
                "--json", genJson.toString()});
        final int genStatus = PerfCommand.run(genArgs, new PrintStream(genOut, true, StandardCharsets.UTF_8),
            new PrintStream(genOut, true, StandardCharsets.UTF_8), stop);
        assertEquals(0, genStatus, genOut.toString(StandardCharsets.UTF_8));
        final int sinkStatus;
        try {
            sinkStatus = sink.get(60, TimeUnit.SECONDS);
        } finally {
            stop.set(true);
        }
        return new Outcome(genStatus, Files.readString(genJson), sinkStatus, Files.readString(sinkJson), sinkOut.toString());
    }

    private static String[] concat(final String[] a, final String[] b, final String[] c) {
        final String[] all = new String[a.length + b.length + c.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        System.arraycopy(c, 0, all, a.length + b.length, c.length);
        return all;
    }

    /** The first number after {@code "key":{... "field":} in a report. */
    private static long number(final String json, final String key, final String field) {
        final int at = json.indexOf("\"" + key + "\"");
        assertTrue(at >= 0, key + " missing in " + json);
        final Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*(\\d+)").matcher(json);
        assertTrue(m.find(at), field + " missing after " + key + " in " + json);
        return Long.parseLong(m.group(1));
    }

    /**
     * The accounting is exact: every frame sent is either received or counted lost, none twice, none
     * out of order, and latency was measured. Loss itself is allowed (at most half): on a busy
     * 2-core machine a generator that fell behind catches up in bursts the receiving ring may not
     * hold, and the test must not depend on the machine being idle.
     */
    private static void assertAccounted(final Outcome o) {
        assertEquals(0, o.sinkStatus, o.sinkOut);
        assertEquals(FRAMES, number(o.genJson, "offered", "frames"), o.genJson);
        final long received = number(o.sinkJson, "received", "frames");
        final long lost = number(o.sinkJson, "loss", "frames");
        assertEquals(FRAMES, received + lost, "received + lost = sent\n" + o.sinkOut);
        assertTrue(received >= FRAMES / 2, o.sinkOut);
        assertEquals(0, number(o.sinkJson, "loss", "duplicates"), o.sinkOut);
        assertEquals(0, number(o.sinkJson, "loss", "reordered"), o.sinkOut);
        assertTrue(number(o.sinkJson, "corrected", "p50") > 0, "latency was measured: " + o.sinkJson);
    }

    @Test
    void overAVethPairBetweenTwoKernelNamespaces() throws Exception {
        try (KernelLab lab = KernelLab.open()) {
            final String gen = lab.namespace("g");
            final String sink = lab.namespace("s");
            lab.vethPair(gen, "g0", sink, "s0");
            assertAccounted(run(new String[] {"--link", "s0", "--netns", sink}, new String[] {"--link", "g0", "--netns", gen}));
            assertTrue(lab.statistic(sink, "s0", "rx_packets") >= FRAMES, "every frame crossed the veth");
        }
    }

    @Test
    void overTwoTapsJoinedByALinuxBridge() throws Exception {
        try (KernelLab lab = KernelLab.open()) {
            final String ns = lab.namespace("t");
            lab.ip("-n", ns, "link", "add", "br0", "type", "bridge");
            for (final String tap : new String[] {"ta", "tb"}) {
                lab.ip("-n", ns, "tuntap", "add", "dev", tap, "mode", "tap");
                // a queue that rides out a few hundred ms of a busy machine: the counts must be exact
                lab.ip("-n", ns, "link", "set", tap, "master", "br0", "txqueuelen", "10000", "up");
            }
            lab.ip("-n", ns, "link", "set", "br0", "up");
            assertAccounted(run(new String[] {"--tap", "tb", "--netns", ns}, new String[] {"--tap", "ta", "--netns", ns}));
        }
    }

    @Test
    void throughAKernelNamespaceThatRoutes() throws Exception {
        try (KernelLab lab = KernelLab.open()) {
            final String gen = lab.namespace("g");
            final String dut = lab.namespace("r");
            final String sink = lab.namespace("s");
            lab.vethPair(gen, "g0", dut, "r0");
            lab.vethPair(dut, "r1", sink, "s0");
            lab.ip("-n", gen, "addr", "add", "198.18.1.2/24", "dev", "g0");
            lab.ip("-n", dut, "addr", "add", "198.18.1.1/24", "dev", "r0");
            lab.ip("-n", dut, "addr", "add", "198.18.2.1/24", "dev", "r1");
            lab.ip("-n", sink, "addr", "add", "198.18.2.2/24", "dev", "s0");
            lab.exec(dut, "sysctl", "-qw", "net.ipv4.ip_forward=1").checked();
            lab.exec(dut, "ping", "-c", "1", "-W", "2", "198.18.2.2").checked(); // resolve the next hop first
            final String genMac = lab.exec(gen, "cat", "/sys/class/net/g0/address").checked().trim();
            final String dutMac = lab.exec(dut, "cat", "/sys/class/net/r0/address").checked().trim();
            assertAccounted(run(new String[] {"--link", "s0", "--netns", sink}, new String[] {"--link", "g0", "--netns", gen},
                "--src-mac", genMac, "--dst-mac", dutMac, "--src-ip", "198.18.1.2", "--dst-ip", "198.18.2.2"));
        }
    }

    @Test
    void latencyAndRfc2544ThroughADutBetweenTwoKernelLinks() throws Exception {
        try (KernelLab lab = KernelLab.open()) {
            final String gen = lab.namespace("g");
            final String sink = lab.namespace("s");
            lab.vethPair(gen, "g0", sink, "s0"); // the DUT is the veth pair itself
            final Path json = dir.resolve("latency.json");
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
            final int latency = PerfCommand.run(new String[] {"latency", "--tx-link", "g0", "--tx-netns", gen, "--rx-link", "s0",
                "--rx-netns", sink, "--rate", "1k", "--count", "2000", "--quiet", "--json", json.toString()}, print, print,
                new AtomicBoolean());
            assertEquals(0, latency, out.toString(StandardCharsets.UTF_8));
            final String report = Files.readString(json);
            assertEquals(2000, number(report, "received", "frames") + number(report, "loss", "frames"), report);
            assertTrue(number(report, "corrected", "p50") > 0, report);

            out.reset();
            final Path rfc = dir.resolve("rfc.json");
            final int search = PerfCommand.run(new String[] {"rfc2544", "--tx-link", "g0", "--tx-netns", gen, "--rx-link", "s0",
                "--rx-netns", sink, "--sizes", "64", "--trial", "200ms", "--min-rate", "1k", "--max-rate", "20k",
                "--max-trials", "3", "--latency-trial", "0s", "--json", rfc.toString()}, print, print, new AtomicBoolean());
            final String text = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, search, text);
            assertTrue(text.contains("generator -> g0 -> DUT -> s0 -> sink") && text.contains("trial  1"), text);
            assertTrue(Files.readString(rfc).contains("\"throughputPps\""), Files.readString(rfc));
        }
    }

    @Test
    void aFrameLargerThanTheLinksMtuIsRefusedBeforeAnythingRuns() {
        try (KernelLab lab = KernelLab.open()) {
            final String ns = lab.namespace("m");
            final String other = lab.namespace("n");
            lab.vethPair(ns, "m0", other, "n0");
            final ByteArrayOutputStream err = new ByteArrayOutputStream();
            final PrintStream print = new PrintStream(err, true, StandardCharsets.UTF_8);
            final int status = PerfCommand.run(new String[] {"gen", "--link", "m0", "--netns", ns, "--size", "1600",
                "--count", "10"}, print, print, new AtomicBoolean());
            assertEquals(2, status, err.toString(StandardCharsets.UTF_8));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("too large for link 'm0': its MTU 1500"),
                err.toString(StandardCharsets.UTF_8));
        }
    }
}

package dev.nsdp.control.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.control.model.NamespaceState;
import dev.nsdp.control.model.PortSpec;
import dev.nsdp.control.model.Reply;
import dev.nsdp.control.model.Request;
import dev.nsdp.dataplane.namespace.Caller;
import dev.nsdp.dataplane.namespace.Level;
import dev.nsdp.dataplane.namespace.NamespaceSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7's acceptance test: kill -9 of the process in the middle of a stream of changes, restart,
 * and every acknowledged change is there, nothing half-applied. The control daemon runs in a child
 * JVM; the test pipelines a stream of changes (including multi-part imports) at it, SIGKILLs it once
 * a random number of them has been acknowledged, and restarts it on the same journal.
 */
class CrashReplayTest {
    private static final Caller ROOT = Caller.administrator("root");
    private static final int STREAM = 3000;
    private static final int WINDOW = 64;

    @TempDir
    Path dir;

    /**
     * A stream of changes that all succeed when applied in order: namespaces with ports, static MACs
     * and settings, imports of whole namespaces (one journal entry, many registry calls), deletions.
     */
    static List<Request> stream(final int count) {
        final List<Request> requests = new ArrayList<>(count);
        for (int k = 0; requests.size() < count; k++) {
            final String ns = "ns" + k;
            requests.add(new Request.AddNamespace(ns, Level.L2, null, "alice"));
            requests.add(new Request.AddPort(ns, "eth0", PortSpec.memory("m" + k)));
            requests.add(new Request.SetPortUp(ns, "eth0", true));
            for (int m = 1; m <= 4; m++) {
                requests.add(new Request.AddStaticMac(ns, mac(k, m), "eth0"));
            }
            requests.add(new Request.SetNamespace(ns, Map.of("default-ttl", Integer.toString(2 + k % 200))));
            requests.add(new Request.DeleteStaticMac(ns, mac(k, 2)));
            if (k % 3 == 0) {
                requests.add(new Request.ImportNamespace(new NamespaceState("im" + k, Level.L2, null, "bob",
                    NamespaceSettings.DEFAULTS.withMacLimit(100 + k), true,
                    List.of(new NamespaceState.PortState("a", PortSpec.memory("ia" + k), true),
                        new NamespaceState.PortState("b", PortSpec.memory("ib" + k), false),
                        new NamespaceState.PortState("c", PortSpec.memory("ic" + k), true)),
                    List.of(),
                    List.of(new NamespaceState.MacState(mac(k, 10), "a"), new NamespaceState.MacState(mac(k, 11), "b"),
                        new NamespaceState.MacState(mac(k, 12), "c")))));
            }
            if (k % 4 == 3) {
                requests.add(new Request.DeleteNamespace("ns" + (k - 1)));
            }
        }
        return requests.subList(0, count);
    }

    private static long mac(final int k, final int m) {
        return 0x0200_0000_0000L | ((long) k << 8) | m;
    }

    @Test
    void killMinusNineMidStreamLosesNoAcknowledgedChangeAndHalfAppliesNothing() throws Exception {
        final List<Request> stream = stream(STREAM);
        final Path socket = dir.resolve("nsdp.sock");
        final Path journal = dir.resolve("journal");
        final int killAfter = STREAM / 4 + new Random().nextInt(STREAM / 2);

        // 1. Stream changes at a child forwarder; SIGKILL it after killAfter acknowledgements.
        final Process child = startDaemon(socket, journal);
        final AtomicInteger acknowledged = new AtomicInteger();
        try (ControlClient client = ControlClient.connect(socket)) {
            final Thread writer = new Thread(() -> {
                try {
                    // A window of unacknowledged requests keeps the stream flowing when the kill lands.
                    for (int sent = 0; sent < stream.size(); sent++) {
                        for (int spins = 0; sent - acknowledged.get() >= WINDOW && spins < 100_000; spins++) {
                            java.util.concurrent.locks.LockSupport.parkNanos(50_000);
                        }
                        client.send(stream.get(sent).toJson());
                    }
                } catch (final IOException expected) {
                    // the child died under us
                }
            }, "stream-writer");
            writer.start();
            try {
                while (acknowledged.get() < killAfter) {
                    final Reply reply = client.receive();
                    assertTrue(reply.ok(), () -> "change " + acknowledged.get() + " refused: " + reply.error());
                    assertEquals(acknowledged.get() + 1L, reply.sequence(), "journal sequence = position in the stream");
                    acknowledged.incrementAndGet();
                }
                child.destroyForcibly(); // SIGKILL
                assertTrue(child.waitFor(10, TimeUnit.SECONDS));
                assertEquals(137, child.exitValue(), "killed by SIGKILL");
            } finally {
                writer.join(10_000);
            }
        } finally {
            child.destroyForcibly();
        }
        assertTrue(acknowledged.get() >= killAfter);

        // 2. Restart the daemon on the same journal: it replays and serves again.
        final Process restarted = startDaemon(socket, journal);
        final long journaled;
        try (ControlClient client = ControlClient.connect(socket)) {
            final Map<String, Object> status = ControlServiceTest.castMap(client.call(new Request.Status()).result());
            final Map<String, Object> journalStatus = ControlServiceTest.castMap(status.get("journal"));
            journaled = (Long) journalStatus.get("lastSeq");
            assertEquals(journaled, journalStatus.get("replayed"));
            assertEquals(0L, journalStatus.get("skippedOnReplay"));
            assertTrue(journaled >= acknowledged.get(), "every acknowledged change is in the journal: " + journaled + " < "
                + acknowledged.get());
            assertTrue(journaled < acknowledged.get() + WINDOW, "the kill landed mid-stream");
            System.out.printf("kill -9 after %d acknowledged changes; %d journaled (of %d sent at most)%n",
                acknowledged.get(), journaled, acknowledged.get() + WINDOW);
            // It accepts changes after the replay, continuing the sequence.
            final Reply next = client.call(new Request.AddNamespace("after", Level.L2, null, null));
            assertTrue(next.ok(), String.valueOf(next.error()));
            assertEquals(journaled + 1, next.sequence());
        } finally {
            restarted.destroy(); // SIGTERM: orderly shutdown
            assertTrue(restarted.waitFor(20, TimeUnit.SECONDS));
        }

        // 3. The replayed state is exactly the state of applying the first `journaled` changes, whole.
        final List<Request> applied = new ArrayList<>(stream.subList(0, (int) journaled));
        applied.add(new Request.AddNamespace("after", Level.L2, null, null));
        final Map<String, Object> expected;
        try (ServiceFixture reference = new ServiceFixture(null)) {
            for (final Request request : applied) {
                ControlServiceTest.ok(reference.call(ROOT, request));
            }
            expected = reference.service.snapshot();
        }
        try (ServiceFixture replayed = new ServiceFixture(journal)) {
            assertEquals(journaled + 1, replayed.service.replayedEntries());
            assertEquals(expected, replayed.service.snapshot());
        }
        assertFalse(Files.exists(socket), "the orderly shutdown removed the socket");
    }

    /** Starts dev.nsdp.control.api.ControlDaemon in a child JVM with the project's JVM flags; waits until it serves. */
    private static Process startDaemon(final Path socket, final Path journal) throws IOException {
        final Path module = Path.of("").toAbsolutePath();
        final String classpath = module.resolve("target/classes") + java.io.File.pathSeparator
            + Files.readString(module.resolve("target/classpath.txt")).trim();
        final String java = ProcessHandle.current().info().command().orElse("java");
        final ProcessBuilder builder = new ProcessBuilder(java, "@" + module.resolveSibling("scripts").resolve("jvm.options"),
            "-cp", classpath, ControlDaemon.class.getName(),
            "--socket", socket.toString(), "--journal", journal.toString(), "--journal-sync", "none")
            .redirectError(ProcessBuilder.Redirect.INHERIT);
        final Process process = builder.start();
        final BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("nsdp-control ready")) {
                return process;
            }
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("the control daemon did not start (last line: " + line + ")");
    }
}

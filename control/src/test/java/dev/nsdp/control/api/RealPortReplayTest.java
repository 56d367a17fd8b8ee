package dev.nsdp.control.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.control.journal.Journal;
import dev.nsdp.control.journal.JournalSync;
import dev.nsdp.control.model.PortKind;
import dev.nsdp.control.model.PortSpec;
import dev.nsdp.control.model.Reply;
import dev.nsdp.control.model.Request;
import dev.nsdp.control.testing.KernelLab;
import dev.nsdp.dataplane.Dataplane;
import dev.nsdp.dataplane.namespace.Caller;
import dev.nsdp.dataplane.namespace.Level;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's journal with real ports: two AF_PACKET ports on veths to two kernel-namespace
 * hosts, a ping through them; then the process's dataplane and service are dropped without any
 * clean-up of the configuration (as after kill -9) and a new dataplane replays the journal: the
 * ports are real again (opened anew on their links) and the ping passes. A link missing at replay
 * leaves its port a placeholder, which the link supervisor reopens once the link is back.
 */
class RealPortReplayTest {
    private static final Caller ADMIN = Caller.administrator("lab");

    @TempDir
    Path dir;

    private static void ok(final ControlService service, final Request request) {
        final Reply reply = service.submit(ADMIN, request).join();
        assertTrue(reply.ok(), request + ": " + reply);
    }

    private static boolean pings(final String from, final String to) {
        return KernelLab.run(List.of("ip", "netns", "exec", from, "ping", "-c", "2", "-i", "0.2", "-W", "2", to)).status() == 0;
    }

    @Test
    void journalReplayReopensRealPortsAndTheSupervisorRecoversAMissingOne() {
        try (KernelLab kernel = new KernelLab()) {
            final String h1 = kernel.name("h1");
            final String h2 = kernel.name("h2");
            final String v1 = kernel.name("v1");
            final String v2 = kernel.name("v2");
            for (final String[] host : new String[][] {{h1, v1, "198.18.8.1/24"}, {h2, v2, "198.18.8.2/24"}}) {
                KernelLab.ip("netns", "add", host[0]);
                KernelLab.ip("link", "add", host[1], "type", "veth", "peer", "name", "lan0", "netns", host[0]);
                KernelLab.ip("link", "set", host[1], "up");
                KernelLab.ip("-n", host[0], "link", "set", "lan0", "up");
                KernelLab.ip("-n", host[0], "addr", "add", host[2], "dev", "lan0");
            }
            final Path journalDir = dir.resolve("journal");

            // First life: configure, forward.
            Dataplane dataplane = new Dataplane(new Dataplane.Config(2048, 4096)).start();
            Journal journal = Journal.open(journalDir, JournalSync.SYNC);
            ControlService service = new ControlService(dataplane.namespaces(), new KernelPortFactory(dataplane::sync), journal);
            service.start();
            ok(service, new Request.AddNamespace("lab", Level.L2, null, null));
            ok(service, new Request.AddPort("lab", "p1", new PortSpec(PortKind.AFPACKET, v1, null)));
            ok(service, new Request.AddPort("lab", "p2", new PortSpec(PortKind.AFPACKET, v2, null)));
            ok(service, new Request.SetPortUp("lab", "p1", true));
            ok(service, new Request.SetPortUp("lab", "p2", true));
            assertTrue(pings(h1, "198.18.8.2"), "first life forwards");
            // Dropped as a killed process would be: nothing is deleted or set down first.
            service.close();
            journal.close();
            dataplane.close();
            assertFalse(pings(h1, "198.18.8.2"), "nothing forwards between the two lives");

            // The link of p2 is gone when the second life starts.
            KernelLab.ip("link", "del", v2);
            dataplane = new Dataplane(new Dataplane.Config(2048, 4096)).start();
            journal = Journal.open(journalDir, JournalSync.SYNC);
            service = new ControlService(dataplane.namespaces(), new KernelPortFactory(dataplane::sync), journal);
            try {
                assertEquals(5, service.start(), "every acknowledged change replayed");
                assertEquals(2, dataplane.namespaces().ports("lab").size(), "both ports configured, p2 as a placeholder");
                assertEquals(0, service.reopenPorts(), "p2's link is still missing");

                KernelLab.ip("link", "add", v2, "type", "veth", "peer", "name", "lan0", "netns", h2);
                KernelLab.ip("link", "set", v2, "up");
                KernelLab.ip("-n", h2, "link", "set", "lan0", "up");
                KernelLab.ip("-n", h2, "addr", "add", "198.18.8.2/24", "dev", "lan0");
                assertEquals(1, service.reopenPorts(), "the supervisor opens p2 once its link exists");
                KernelLab.ip("-n", h1, "neigh", "flush", "all"); // h2's lan0 is new, with a new MAC
                assertTrue(pings(h1, "198.18.8.2"), "second life forwards through the replayed ports");
            } finally {
                service.close();
                journal.close();
                dataplane.close();
            }
        }
    }
}

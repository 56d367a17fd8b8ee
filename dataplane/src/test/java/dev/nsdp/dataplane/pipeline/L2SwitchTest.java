package dev.nsdp.dataplane.pipeline;

import static dev.nsdp.dataplane.pipeline.L2Frames.frame;
import static dev.nsdp.dataplane.pipeline.L2Frames.marker;
import static dev.nsdp.dataplane.pipeline.L2Frames.tagged;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.dataplane.codec.MacAddress;
import dev.nsdp.dataplane.counter.DropReason;
import dev.nsdp.dataplane.namespace.Level;
import dev.nsdp.dataplane.namespace.NamespaceSettings;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Switching behaviour of one worker over memory ports: learning, flooding, isolation, VLANs. */
class L2SwitchTest {
    static final int RED = 1;
    static final int BLUE = 2;
    static final long MAC_A = MacAddress.parse("02:00:00:00:00:0a");
    static final long MAC_B = MacAddress.parse("02:00:00:00:00:0b");
    static final long MAC_C = MacAddress.parse("02:00:00:00:00:0c");
    static final long UNKNOWN = MacAddress.parse("02:00:00:00:00:ee");

    SwitchHarness h;

    @BeforeEach
    void setUp() {
        h = new SwitchHarness();
        h.proxy.namespaceCreated(RED, Level.L2, NamespaceSettings.DEFAULTS);
        h.proxy.namespaceCreated(BLUE, Level.L2, NamespaceSettings.DEFAULTS);
        // Two tenants wired identically: three hosts each, the same MACs on both sides.
        h.attach("red-a", 0, RED);
        h.attach("red-b", 1, RED);
        h.attach("red-c", 2, RED);
        h.attach("blue-a", 3, BLUE);
        h.attach("blue-b", 4, BLUE);
        h.attach("blue-c", 5, BLUE);
        h.run();
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void broadcastFloodsOnlyWithinTheNamespaceAndNotBackToTheSender() {
        final byte[] f = frame(MacAddress.BROADCAST, MAC_A, 1);
        h.send("red-a", f);
        h.run();

        assertEquals(0, h.received("red-a").size(), "never back out of the ingress port");
        assertArrayEquals(f, single(h.received("red-b")));
        assertArrayEquals(f, single(h.received("red-c")));
        for (final String blue : List.of("blue-a", "blue-b", "blue-c")) {
            assertEquals(0, h.received(blue).size(), "blue must not see red's broadcast");
        }
        assertEquals(1, h.counters().namespaceRxPackets(RED));
        assertEquals(2, h.counters().namespaceTxPackets(RED));
        assertEquals(0, h.counters().namespaceRxPackets(BLUE));
    }

    @Test
    void unknownUnicastFloodsThenLearnedUnicastGoesToOnePort() {
        h.send("red-a", frame(MAC_B, MAC_A, 1)); // B unknown: flooded
        h.run();
        assertEquals(1, h.received("red-b").size());
        assertEquals(1, h.received("red-c").size());

        h.send("red-b", frame(MAC_A, MAC_B, 2)); // A was learned on red-a
        h.run();
        assertEquals(2, marker(single(h.received("red-a"))));
        assertEquals(0, h.received("red-c").size(), "learned unicast is not flooded");

        h.send("red-a", frame(MAC_B, MAC_A, 3)); // B learned on red-b now
        h.run();
        assertEquals(3, marker(single(h.received("red-b"))));
        assertEquals(0, h.received("red-c").size());
    }

    @Test
    void identicalMacsInTwoNamespacesNeverCrossOver() {
        // Both tenants learn the same MACs on different ports.
        h.send("red-a", frame(MacAddress.BROADCAST, MAC_A, 1));
        h.send("blue-c", frame(MacAddress.BROADCAST, MAC_A, 2));
        h.send("red-b", frame(MacAddress.BROADCAST, MAC_B, 3));
        h.send("blue-b", frame(MacAddress.BROADCAST, MAC_B, 4));
        h.run();
        drainAll();

        h.send("red-b", frame(MAC_A, MAC_B, 10));
        h.send("blue-b", frame(MAC_A, MAC_B, 20));
        h.run();
        assertEquals(10, marker(single(h.received("red-a"))), "red's A is on red-a");
        assertEquals(20, marker(single(h.received("blue-c"))), "blue's A is on blue-c");
        assertEquals(0, h.received("blue-a").size());
        assertEquals(0, h.received("red-c").size());

        // Unknown unicast floods stay inside each tenant too.
        h.send("red-a", frame(UNKNOWN, MAC_A, 30));
        h.run();
        assertEquals(30, marker(single(h.received("red-b"))));
        assertEquals(30, marker(single(h.received("red-c"))));
        for (final String blue : List.of("blue-a", "blue-b", "blue-c")) {
            assertEquals(0, h.received(blue).size());
        }
    }

    @Test
    void learnedEntriesAgeOutAfterTheNamespaceAgingTime() {
        h.proxy.settingsChanged(RED, NamespaceSettings.DEFAULTS.withMacAgingSeconds(2));
        h.run();
        h.send("red-a", frame(MacAddress.BROADCAST, MAC_A, 1));
        h.run();
        drainAll();

        h.advanceMillis(1_000);
        h.send("red-b", frame(MAC_A, MAC_B, 2));
        h.run();
        assertEquals(1, h.received("red-a").size());
        assertEquals(0, h.received("red-c").size(), "still learned after 1 s");

        // A was last seen at t=0: at t=3.5s it is past the 2 s aging time.
        h.advanceMillis(2_500);
        h.run();
        h.send("red-c", frame(MAC_A, MAC_C, 3));
        h.run();
        assertEquals(1, h.received("red-a").size());
        assertEquals(1, h.received("red-b").size(), "A aged out: flooded again");
        assertTrue(h.counters().macsAged >= 1);
    }

    @Test
    void staticEntriesWinOverLearningAndNeverAge() {
        h.proxy.settingsChanged(RED, NamespaceSettings.DEFAULTS.withMacAgingSeconds(1));
        h.proxy.staticMacAdded(RED, MAC_C, h.port("red-c"));
        h.run();

        h.send("red-a", frame(MAC_C, MAC_A, 1));
        h.run();
        assertEquals(1, marker(single(h.received("red-c"))), "static entry known before any learning");
        assertEquals(0, h.received("red-b").size());

        // A host on red-b claims MAC_C: the static entry keeps it on red-c.
        h.send("red-b", frame(MacAddress.BROADCAST, MAC_C, 2));
        h.run();
        drainAll();
        h.advanceMillis(10_000);
        h.run();
        h.send("red-a", frame(MAC_C, MAC_A, 3));
        h.run();
        assertEquals(3, marker(single(h.received("red-c"))));
        assertEquals(0, h.received("red-b").size());

        h.proxy.staticMacRemoved(RED, MAC_C);
        h.run();
        h.send("red-a", frame(MAC_C, MAC_A, 4));
        h.run();
        assertEquals(1, h.received("red-b").size(), "removed: unknown again, flooded");
        assertEquals(1, h.received("red-c").size());
    }

    @Test
    void adminDownPortNeitherSendsNorReceives() {
        h.proxy.portAdminState(h.port("red-c"), false);
        h.run();
        h.send("red-a", frame(MacAddress.BROADCAST, MAC_A, 1));
        h.send("red-c", frame(MacAddress.BROADCAST, MAC_C, 2));
        h.run();
        single(h.received("red-b"));
        assertEquals(0, h.received("red-c").size(), "down port gets no flood");
        assertEquals(1, h.counters().drops(DropReason.PORT_DOWN), "frame from a down port is dropped");

        h.proxy.portAdminState(h.port("red-c"), true);
        h.run();
        h.send("red-a", frame(MacAddress.BROADCAST, MAC_A, 3));
        h.run();
        assertEquals(1, h.received("red-c").size(), "back up: flooded to again");
    }

    @Test
    void linkDownPortIsSkippedAndRecovers() {
        h.send("red-c", frame(MacAddress.BROADCAST, MAC_C, 1));
        h.run();
        drainAll();
        h.link("red-c").setUp(false);
        h.send("red-a", frame(MAC_C, MAC_A, 2));
        h.run();
        assertEquals(0, h.received("red-c").size());
        assertEquals(1, h.counters().drops(DropReason.PORT_DOWN));
        h.link("red-c").setUp(true);
        h.send("red-a", frame(MAC_C, MAC_A, 3));
        h.run();
        assertEquals(3, marker(single(h.received("red-c"))));
    }

    @Test
    void movedPortLeavesItsOldNamespaceAndForgetsItsMacs() {
        h.send("red-c", frame(MacAddress.BROADCAST, MAC_C, 1));
        h.run();
        drainAll();
        h.proxy.portMoved(h.port("red-c"), BLUE);
        h.run();

        h.send("red-a", frame(MAC_C, MAC_A, 2));
        h.run();
        assertEquals(1, h.received("red-b").size(), "C forgotten in red: flooded there");
        assertEquals(0, h.received("red-c").size(), "the moved port no longer hears red");

        h.send("blue-a", frame(MacAddress.BROADCAST, MAC_A, 3));
        h.run();
        assertEquals(3, marker(single(h.received("red-c"))), "the moved port now hears blue");
    }

    @Test
    void trunkPortMapsVlansToNamespacesAndTagsOnTheWayOut() {
        h.attach("trunk", 6, RED); // untagged frames on the trunk belong to red
        h.proxy.vlanMapped(6, 20, BLUE);
        h.run();

        final byte[] fromTrunk = tagged(0x8100, 20, MacAddress.BROADCAST, MAC_A, 1);
        h.send("trunk", fromTrunk);
        h.run();
        final byte[] atBlue = single(h.received("blue-a"));
        assertArrayEquals(frame(MacAddress.BROADCAST, MAC_A, 1), Arrays.copyOf(atBlue, 60),
            "tag popped: blue sees an untagged frame");
        assertEquals(60, atBlue.length);
        assertEquals(0, h.received("red-a").size(), "VLAN 20 is blue only");

        h.send("blue-b", frame(MAC_A, MAC_B, 2)); // A learned on the trunk in blue
        h.run();
        final byte[] out = single(h.received("trunk"));
        assertArrayEquals(tagged(0x8100, 20, MAC_A, MAC_B, 2), Arrays.copyOf(out, 64), "tagged with blue's VLAN");

        h.send("red-a", frame(MacAddress.BROADCAST, MAC_C, 3));
        h.run();
        final byte[] redOut = single(h.received("trunk"));
        assertEquals(3, marker(redOut), "red goes out untagged on the trunk");

        h.send("trunk", tagged(0x8100, 99, MacAddress.BROADCAST, MAC_A, 4));
        h.run();
        assertEquals(1, h.counters().drops(DropReason.NO_NAMESPACE), "unmapped VLAN on a trunk is dropped");
    }

    @Test
    void oneNamespaceFloodingRandomSourceMacsCannotStarveAnother() {
        h.proxy.settingsChanged(RED, NamespaceSettings.DEFAULTS.withMacLimit(100));
        h.proxy.settingsChanged(BLUE, NamespaceSettings.DEFAULTS.withMacLimit(100));
        h.run();
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            final long randomMac = random.nextLong() & 0xFEFF_FFFF_FFFFL; // unicast
            h.send("red-a", frame(MAC_B, randomMac, i));
            if (i % 500 == 0) {
                h.run();
                drainAll();
            }
        }
        h.run();
        drainAll();
        assertEquals(100, h.worker.macTable().count(RED), "red stops at its limit");
        assertTrue(h.counters().namespaceMacLimitHits(RED) >= 19_000);

        // Blue still learns and forwards by unicast.
        h.send("blue-a", frame(MacAddress.BROADCAST, MAC_A, 1));
        h.run();
        drainAll();
        h.send("blue-b", frame(MAC_A, MAC_B, 2));
        h.run();
        assertEquals(2, marker(single(h.received("blue-a"))));
        assertEquals(0, h.received("blue-c").size(), "blue's unicast is not flooded: its entry was learned");
        assertEquals(0, h.counters().namespaceMacLimitHits(BLUE));
    }

    @Test
    void aLevel3NamespaceNeitherLearnsNorSwitches() {
        final int l3 = 3;
        h.proxy.namespaceCreated(l3, Level.L3, NamespaceSettings.DEFAULTS);
        h.attach("l3-a", 6, l3);
        h.attach("l3-b", 7, l3);
        h.run();
        h.send("l3-a", frame(MacAddress.BROADCAST, MAC_A, 1));
        h.send("l3-a", frame(MAC_B, MAC_A, 2));
        h.run();
        assertEquals(0, h.received("l3-b").size(), "no L2 switching in a level-3 namespace");
        assertEquals(2, h.counters().drops(DropReason.NOT_SWITCHED_IN_L3_NAMESPACE));
        assertEquals(0, h.worker.macTable().count(l3), "and nothing learned");
    }

    @Test
    void everyFrameIsAccountedFor() {
        h.send("red-a", frame(MacAddress.BROADCAST, MAC_A, 1)); // 2 copies
        h.send("red-b", frame(MAC_A, MAC_B, 2));                // 1
        h.send("red-a", frame(MAC_A, MAC_A, 3));                // to itself: dropped
        h.run();
        drainAll();
        final WorkerCounters c = h.counters();
        assertEquals(3, c.namespaceRxPackets(RED));
        assertEquals(3, c.namespaceTxPackets(RED));
        assertEquals(1, c.drops(DropReason.SAME_PORT));
        assertEquals(2, c.portRxPackets(h.port("red-a")));
        assertEquals(1, c.portTxPackets(h.port("red-a")));
    }

    private void drainAll() {
        for (final String host : List.of("red-a", "red-b", "red-c", "blue-a", "blue-b", "blue-c")) {
            h.received(host);
        }
    }

    private static byte[] single(final List<byte[]> frames) {
        assertEquals(1, frames.size(), "expected exactly one frame");
        return frames.get(0);
    }
}

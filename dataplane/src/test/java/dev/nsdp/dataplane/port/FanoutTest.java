package dev.nsdp.dataplane.port;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.dataplane.buffer.BufferCache;
import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.buffer.PacketVector;
import dev.nsdp.dataplane.counter.DropReason;
import dev.nsdp.dataplane.nativ.Errno;
import dev.nsdp.dataplane.nativ.KernelLab;
import dev.nsdp.dataplane.nativ.KernelNamespace;
import dev.nsdp.dataplane.nativ.NativeException;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two PacketSocketPorts in one PACKET_FANOUT group on one link, each polled by a thread of its own
 * (two workers), receiving sequence-numbered UDP flows from the kernel in namespace "b": every flow
 * must reach one port only, in order, with nothing lost (the sender is paced to a rate both carry).
 */
class FanoutTest {
    private static final long PORT_MAC = 0x02_00_5E_30_00_01L;
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int DESTINATION_PORT = 9999;
    private static final int FIRST_SOURCE_PORT = 41000;
    /**
     * Flows from distinct source ports, datagrams sent round robin across them in paced bursts. Each
     * payload: flow number, sequence number (32-bit big-endian), then filler bytes derived from both.
     * argv: address family ("4"/"6"), destination, first flow, flows, datagrams per flow, sizes
     * (comma-separated, used in turn by sequence number).
     */
    private static final String FLOW_SENDER = """
        import socket, struct, sys, time
        family = socket.AF_INET6 if sys.argv[1] == '6' else socket.AF_INET
        destination, first, flows, count = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
        sizes = [int(x) for x in sys.argv[6].split(',')]
        sockets = []
        for f in range(flows):
            s = socket.socket(family, socket.SOCK_DGRAM)
            s.bind(('', %d + first + f))
            sockets.append(s)
        sent = 0
        for seq in range(count):
            for f in range(flows):
                n = sizes[seq %% len(sizes)]
                head = struct.pack('!II', first + f, seq)
                filler = bytes(((first + f) * 7 + seq + i) & 0xFF for i in range(n - 8))
                sockets[f].sendto(head + filler, (destination, %d))
                sent += 1
                if sent %% 32 == 0:
                    time.sleep(0.001)
        print(sent)
        """.formatted(FIRST_SOURCE_PORT, DESTINATION_PORT);

    private static KernelLab lab;
    private static String nsA;
    private static String nsB;
    private static String linkA;
    private static String linkB;

    @BeforeAll
    static void createLab() {
        lab = KernelLab.open();
        try {
            nsA = lab.namespace("a");
            nsB = lab.namespace("b");
            lab.exec(nsA, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
                .checked();
            linkA = lab.link("a");
            linkB = lab.link("b");
            lab.vethPair(nsA, linkA, nsB, linkB);
            final String portMac = TestFrames.macText(PORT_MAC);
            lab.ip("-n", nsB, "addr", "add", "198.18.3.2/24", "dev", linkB);
            lab.ip("-n", nsB, "neigh", "add", "198.18.3.1", "lladdr", portMac, "dev", linkB, "nud", "permanent");
            lab.ip("-n", nsB, "addr", "add", "2001:db8:3::2/64", "dev", linkB, "nodad");
            lab.ip("-n", nsB, "neigh", "add", "2001:db8:3::1", "lladdr", portMac, "dev", linkB, "nud", "permanent");
        } catch (final RuntimeException | Error e) {
            lab.close();
            throw e;
        }
    }

    @AfterAll
    static void removeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    private static PacketSocketOptions member(final int group) {
        return PacketSocketOptions.defaults().withNamespace(KernelNamespace.named(nsA)).withLinkCheckMillis(0)
            .withFanout(group, FanoutMode.HASH);
    }

    private static int group() {
        return ThreadLocalRandom.current().nextInt(1, 0xFFFF);
    }

    /** A worker: polls its port on a thread of its own and keeps every UDP frame for {@link #DESTINATION_PORT}. */
    private static final class Worker implements AutoCloseable {
        final PacketSocketPort port;
        final List<byte[]> frames = new ArrayList<>();
        private final Thread thread;
        private volatile boolean running = true;
        private volatile int received;
        private volatile Throwable failure;

        Worker(final PacketSocketPort port, final PacketPool pool) {
            this.port = port;
            this.thread = Thread.ofPlatform().daemon(true).start(() -> run(pool));
        }

        private void run(final PacketPool pool) {
            final BufferCache cache = pool.newCache(256);
            final PacketVector vector = new PacketVector();
            try {
                while (running) {
                    vector.clear();
                    final int n = port.receive(vector, 0, cache);
                    for (int i = 0; i < n; i++) {
                        final byte[] frame = TestFrames.fromPool(pool, vector.descriptor(i));
                        if (Datagram.isOurs(frame)) {
                            synchronized (frames) {
                                frames.add(frame);
                            }
                            received++;
                        }
                    }
                    vector.freeAll(cache);
                    if (n == 0) {
                        TestFrames.pause(); // 1 ms: the ring holds 1024 frames, the sender offers ~32 per ms
                    }
                }
            } catch (final Throwable t) {
                failure = t;
            } finally {
                cache.flush();
            }
        }

        int received() {
            return received;
        }

        @Override
        public void close() {
            running = false;
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            port.close();
            if (failure != null) {
                throw new AssertionError("worker failed", failure);
            }
        }
    }

    /** A received frame's UDP datagram (or IPv4 fragment of one), as the test reads it. */
    private record Datagram(int port, int id, int fragmentOffset, boolean moreFragments, int sourcePort,
                            byte[] ipPayload) {
        static boolean isOurs(final byte[] frame) {
            return TestFrames.macAt(frame, 0) == PORT_MAC && TestFrames.ipProtocol(frame) == 17;
        }

        static Datagram of(final int port, final byte[] frame) {
            final int ip = TestFrames.l3Offset(frame);
            if (TestFrames.etherType(frame) == TestFrames.ETHERTYPE_IPV4) {
                final int headerLength = (frame[ip] & 0x0F) * 4;
                final int flagsAndOffset = TestFrames.u16(frame, ip + 6);
                final int end = ip + TestFrames.u16(frame, ip + 2);
                final int offset = (flagsAndOffset & 0x1FFF) * 8;
                final byte[] payload = java.util.Arrays.copyOfRange(frame, ip + headerLength, end);
                return new Datagram(port, TestFrames.u16(frame, ip + 4), offset, (flagsAndOffset & 0x2000) != 0,
                    offset == 0 ? TestFrames.u16(payload, 0) : -1, payload);
            }
            final byte[] payload = java.util.Arrays.copyOfRange(frame, ip + 40, ip + 40 + TestFrames.u16(frame, ip + 4));
            return new Datagram(port, -1, 0, false, TestFrames.u16(payload, 0), payload);
        }
    }

    /** A whole UDP datagram after the test's own reassembly: which port it came through, its flow and sequence. */
    private record Delivery(int port, int flow, int sequence, byte[] udpPayload) {
    }

    /**
     * Reassembles each port's frames (IPv4 fragments by id, in arrival order) into datagrams; fails
     * if a datagram's fragments came through different ports or do not make a whole.
     */
    private static List<Delivery> deliveries(final List<Worker> workers) {
        final List<Delivery> out = new ArrayList<>();
        final Map<Integer, Integer> fragmentPort = new HashMap<>();
        for (int w = 0; w < workers.size(); w++) {
            final Map<Integer, ByteArrayOutputStream> partial = new HashMap<>();
            for (final byte[] frame : workers.get(w).frames) {
                final Datagram d = Datagram.of(w, frame);
                byte[] whole = d.ipPayload();
                if (d.moreFragments() || d.fragmentOffset() != 0) {
                    final Integer seen = fragmentPort.putIfAbsent(d.id(), w);
                    assertTrue(seen == null || seen == w, "fragments of datagram " + d.id() + " reached two ports");
                    final ByteArrayOutputStream buffer = partial.computeIfAbsent(d.id(), k -> new ByteArrayOutputStream());
                    assertEquals(buffer.size(), d.fragmentOffset(), "fragments of datagram " + d.id() + " in order");
                    buffer.writeBytes(d.ipPayload());
                    if (d.moreFragments()) {
                        continue;
                    }
                    whole = partial.remove(d.id()).toByteArray();
                }
                assertEquals(whole.length, TestFrames.u16(whole, 4), "UDP length of a whole datagram");
                final byte[] payload = java.util.Arrays.copyOfRange(whole, 8, whole.length);
                out.add(new Delivery(w, SuperFrames.u32(payload, 0), SuperFrames.u32(payload, 4), payload));
            }
            assertEquals(Map.of(), partial, "incomplete datagrams at port " + w);
        }
        return out;
    }

    private static byte[] expectedPayload(final int flow, final int sequence, final int size) {
        final byte[] payload = new byte[size];
        SuperFrames.putU32(payload, 0, flow);
        SuperFrames.putU32(payload, 4, sequence);
        for (int i = 0; i < size - 8; i++) {
            payload[8 + i] = (byte) (flow * 7 + sequence + i);
        }
        return payload;
    }

    /** Every flow at one port, its sequence numbers 0..count-1 in order (no loss, no reordering). */
    private static Map<Integer, Integer> checkFlows(final List<Delivery> deliveries, final int firstFlow, final int flows,
                                                    final int count, final int[] sizes) {
        final Map<Integer, Integer> portOfFlow = new HashMap<>();
        final Map<Integer, Integer> nextSequence = new HashMap<>();
        for (final Delivery d : deliveries) {
            final Integer port = portOfFlow.putIfAbsent(d.flow(), d.port());
            assertTrue(port == null || port == d.port(), "flow " + d.flow() + " reached both ports");
            final int expected = nextSequence.getOrDefault(d.flow(), 0);
            assertEquals(expected, d.sequence(), "flow " + d.flow() + ": next sequence number (lost or reordered)");
            nextSequence.put(d.flow(), expected + 1);
            assertArrayEquals(expectedPayload(d.flow(), d.sequence(), sizes[d.sequence() % sizes.length]), d.udpPayload(),
                "payload of flow " + d.flow() + " sequence " + d.sequence());
        }
        for (int f = firstFlow; f < firstFlow + flows; f++) {
            assertEquals(count, nextSequence.getOrDefault(f, 0), "datagrams of flow " + f);
        }
        return portOfFlow;
    }

    private static void send(final String family, final String destination, final int firstFlow, final int flows,
                             final int count, final int[] sizes) {
        final StringBuilder list = new StringBuilder();
        for (final int size : sizes) {
            list.append(list.isEmpty() ? "" : ",").append(size);
        }
        final KernelLab.Result result = lab.exec(nsB, "/usr/bin/python3", "-c", FLOW_SENDER, family, destination,
            Integer.toString(firstFlow), Integer.toString(flows), Integer.toString(count), list.toString());
        assertEquals(0, result.exitCode(), result.output());
        assertEquals(Integer.toString(flows * count), result.output().trim());
    }

    @Test
    void hashFanoutKeepsEveryFlowOnOnePortInOrderWithNothingLost() {
        final int group = group();
        final int[] sizes = {64, 200, 1000};
        try (PacketPool pool = new PacketPool(8192);
             Worker first = new Worker(PacketSocketPort.open(linkA, member(group)), pool);
             Worker second = new Worker(PacketSocketPort.open(linkA, member(group)), pool)) {
            final List<Worker> workers = List.of(first, second);
            send("4", "198.18.3.1", 0, 48, 200, sizes);
            send("6", "2001:db8:3::1", 48, 16, 200, sizes);
            final int total = 64 * 200;
            assertTrue(KernelLab.await(WAIT, () -> first.received() + second.received() >= total),
                "received " + first.received() + " + " + second.received() + " of " + total);
            TestFrames.pause();
            final List<Delivery> deliveries;
            synchronized (first.frames) {
                synchronized (second.frames) {
                    deliveries = deliveries(workers);
                }
            }
            assertEquals(total, deliveries.size(), "nothing more, nothing less");
            final Map<Integer, Integer> portOfFlow = checkFlows(deliveries, 0, 64, 200, sizes);
            final long flowsAtFirst = portOfFlow.values().stream().filter(p -> p == 0).count();
            System.out.printf("fanout hash: %d flows at port 0, %d at port 1; frames %d + %d%n", flowsAtFirst,
                64 - flowsAtFirst, first.received(), second.received());
            assertTrue(flowsAtFirst > 0 && flowsAtFirst < 64, "both ports carry flows: " + flowsAtFirst + " of 64 at the first");
            for (final Worker w : workers) {
                assertEquals(0, w.port.counters().drops(DropReason.RX_RING_OVERFLOW), w.port.counters().toString());
            }
        }
    }

    @Test
    void fragmentedDatagramsFollowTheirFlowThroughDefrag() {
        // Datagrams of 3000 bytes leave the sender in IPv4 fragments; the fanout reassembles them to
        // hash them with their flow, and the port fragments them again to fit its buffers.
        final int group = group();
        final int[] sizes = {100, 3000, 1400, 6000};
        try (PacketPool pool = new PacketPool(8192);
             Worker first = new Worker(PacketSocketPort.open(linkA, member(group)), pool);
             Worker second = new Worker(PacketSocketPort.open(linkA, member(group)), pool)) {
            assertTrue(first.port.options().fanoutDefrag(), "HASH turns defrag on");
            send("4", "198.18.3.1", 100, 16, 40, sizes);
            final int fragmented = 16 * 20;
            assertTrue(KernelLab.await(WAIT, () -> first.port.counters().datagramsFragmented()
                + second.port.counters().datagramsFragmented() >= fragmented), "reassembled datagrams cut again");
            TestFrames.pause();
            final List<Delivery> deliveries;
            synchronized (first.frames) {
                synchronized (second.frames) {
                    deliveries = deliveries(List.of(first, second));
                }
            }
            assertEquals(16 * 40, deliveries.size());
            checkFlows(deliveries, 100, 16, 40, sizes);
            assertEquals(fragmented, first.port.counters().datagramsFragmented() + second.port.counters().datagramsFragmented());
            assertEquals(fragmented, first.port.counters().oversizeCopies() + second.port.counters().oversizeCopies(),
                "the reassembled datagrams were larger than a slot");
        }
    }

    @Test
    void withoutDefragFragmentsHashApartFromTheirFlow() {
        // The control for the test above: fragments carry no ports, so the kernel hashes them by
        // addresses alone, and a flow's fragmented datagrams land on another port than its whole ones.
        final int group = group();
        final int[] sizes = {100, 3000};
        try (PacketPool pool = new PacketPool(8192);
             Worker first = new Worker(PacketSocketPort.open(linkA, member(group).withFanoutDefrag(false)), pool);
             Worker second = new Worker(PacketSocketPort.open(linkA, member(group).withFanoutDefrag(false)), pool)) {
            send("4", "198.18.3.1", 200, 16, 10, sizes);
            final int frames = 16 * 5 + 16 * 5 * 3; // 3000 bytes leave in 3 fragments
            assertTrue(KernelLab.await(WAIT, () -> first.received() + second.received() >= frames));
            TestFrames.pause();
            final List<Delivery> deliveries;
            synchronized (first.frames) {
                synchronized (second.frames) {
                    deliveries = deliveries(List.of(first, second));
                }
            }
            assertEquals(16 * 10, deliveries.size());
            final Map<Integer, java.util.Set<Integer>> portsOfFlow = new HashMap<>();
            for (final Delivery d : deliveries) {
                portsOfFlow.computeIfAbsent(d.flow(), k -> new java.util.HashSet<>()).add(d.port());
            }
            final long split = portsOfFlow.values().stream().filter(ports -> ports.size() == 2).count();
            assertTrue(split > 0, "some flow's datagrams reached both ports");
            assertEquals(0, first.port.counters().datagramsFragmented() + second.port.counters().datagramsFragmented(),
                "no reassembly, nothing to cut again");
        }
    }

    @Test
    void aGroupTakesOnlyPortsOfItsOwnKind() {
        final int group = group();
        try (PacketSocketPort member = PacketSocketPort.open(linkA, member(group))) {
            final NativeException otherMode = assertThrows(NativeException.class,
                () -> PacketSocketPort.open(linkA, member(group).withFanout(group, FanoutMode.LOAD_BALANCE)));
            assertEquals(Errno.EINVAL, otherMode.errno());
            assertTrue(otherMode.getMessage().contains("same link with the same mode"), otherMode.getMessage());
            assertTrue(member.isLinkUp());
        }
        assertThrows(IllegalArgumentException.class, () -> PacketSocketOptions.defaults().withFanout(70_000, FanoutMode.HASH));
        assertThrows(IllegalArgumentException.class, () -> PacketSocketOptions.defaults().withFanout(-1, FanoutMode.HASH));
    }
}

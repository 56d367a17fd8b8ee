package dev.nsdp.control.demo;

import dev.nsdp.dataplane.Dataplane;
import dev.nsdp.dataplane.buffer.BufferCache;
import dev.nsdp.dataplane.buffer.Descriptor;
import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.codec.FrameWriter;
import dev.nsdp.dataplane.codec.MacAddress;
import dev.nsdp.dataplane.counter.DropReason;
import dev.nsdp.dataplane.namespace.Caller;
import dev.nsdp.dataplane.namespace.Level;
import dev.nsdp.dataplane.namespace.NamespaceInfo;
import dev.nsdp.dataplane.namespace.NamespaceRegistry;
import dev.nsdp.dataplane.namespace.PortInfo;
import dev.nsdp.dataplane.pipeline.WorkerCounters;
import dev.nsdp.dataplane.port.MemoryLink;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;

/**
 * The in-process demonstration: two tenants, red and blue, with identical MAC and IP addresses,
 * each with three hosts on memory links to one worker running on its own thread. Frames are sent
 * by the hosts; the demo shows where each one arrived and checks it against what namespace
 * isolation demands, then prints the counters. Exits non-zero if anything went elsewhere.
 */
public final class InProcessDemo {
    private static final Caller ADMIN = Caller.administrator("demo");
    private static final String[] HOSTS = {"a", "b", "c"};

    private final PrintStream out;
    private final Dataplane dataplane;
    private final BufferCache hostCache;
    private final FrameWriter writer = new FrameWriter();
    /** "red a" → the host's end of its link. */
    private final Map<String, MemoryLink> hosts = new LinkedHashMap<>();
    private int failures;

    InProcessDemo(final PrintStream out) {
        this.out = out;
        this.dataplane = new Dataplane(new Dataplane.Config(8192, 65_536)).start();
        this.hostCache = dataplane.pool().newCache(64);
    }

    public static void main(final String[] args) {
        final InProcessDemo demo = new InProcessDemo(System.out);
        final int failures;
        try {
            failures = demo.run();
        } finally {
            demo.dataplane.close();
        }
        System.exit(failures == 0 ? 0 : 1);
    }

    static long mac(final String host) {
        return MacAddress.parse("02:00:00:00:00:0" + (char) ('a' + host.charAt(host.length() - 1) - 'a'));
    }

    static int ip(final String host) {
        return 0xC612_0000 | (1 + host.charAt(host.length() - 1) - 'a'); // 198.18.0.1 .. .3
    }

    int run() {
        out.println("nsdp in-process demo: one worker thread, memory ports, two tenants with identical addresses");
        out.println();
        final NamespaceRegistry ns = dataplane.namespaces();
        for (final String tenant : List.of("red", "blue")) {
            ns.createNamespace(ADMIN, tenant, Level.L2);
            for (int i = 0; i < HOSTS.length; i++) {
                final String host = tenant + " " + HOSTS[i];
                final MemoryLink link = new MemoryLink(host, "eth" + i);
                ns.addPort(ADMIN, tenant, "eth" + i, link.b());
                ns.setPortUp(ADMIN, tenant, "eth" + i, true);
                hosts.put(host, link);
            }
            final NamespaceInfo info = ns.namespace(tenant);
            out.printf("  namespace %-4s (id %d): ports eth0 eth1 eth2 -> hosts a b c, MACs 02:00:00:00:00:0a/0b/0c, "
                + "IPv4 198.18.0.1/.2/.3%n", tenant, info.id());
        }
        out.println("  (both tenants use the same MACs and addresses: only the namespace tells them apart)");
        out.println();

        step("1. red a asks ARP who-has 198.18.0.2 (broadcast)", "red a", arp("red a", "red b"),
            "red b", "red c");
        step("2. blue a asks the same (broadcast)", "blue a", arp("blue a", "blue b"),
            "blue b", "blue c");
        step("3. red b answers red a by unicast (a was learned in 1)", "red b", udp("red b", mac("a")),
            "red a");
        step("4. blue b does the same in blue", "blue b", udp("blue b", mac("a")),
            "blue a");
        step("5. red a sends to an unknown MAC 02:00:00:00:00:ee (flooded in red only)", "red a",
            udp("red a", MacAddress.parse("02:00:00:00:00:ee")), "red b", "red c");
        step("6. red c sends a truncated IPv4 frame (counted and dropped)", "red c", truncated("red c"));

        ns.movePort(ADMIN, "eth2", "blue", "red", "eth3");
        ns.setPortUp(ADMIN, "red", "eth3", true);
        out.println("-- move blue's eth2 (host blue c) into red as eth3 and set it up");
        step("7. red a broadcasts again: the moved host hears red now", "red a", arp("red a", "red c"),
            "red b", "red c", "blue c");

        ns.deleteNamespace(ADMIN, "blue");
        final List<String> returned = new ArrayList<>();
        for (final PortInfo port : ns.ports(NamespaceRegistry.ROOT_NAME)) {
            returned.add(port.name() + (port.adminUp() ? " up" : " down"));
        }
        out.println("-- delete blue: its ports return to root, down: " + returned);
        step("8. blue a (now in root, down) sends: dropped at the down port", "blue a", arp("blue a", "blue b"));

        dataplane.sync();
        printCounters();
        out.println();
        out.println(failures == 0
            ? "demo: every frame went exactly where namespace isolation says it must"
            : "demo: " + failures + " step(s) did not behave as expected");
        return failures;
    }

    private byte[] arp(final String from, final String to) {
        return frame(buffer -> writer.arpRequest(buffer, 0, mac(from), ip(from), ip(to)));
    }

    /** UDP from {@code from} to 198.18.0.1 (host a's address in either tenant), sent to {@code dstMac}. */
    private byte[] udp(final String from, final long dstMac) {
        return frame(buffer -> writer.udp4(buffer, 0, dstMac, mac(from), ip(from), ip("a"), 5000, 5001, 18));
    }

    private byte[] truncated(final String from) {
        final byte[] whole = udp(from, mac("a"));
        final byte[] cut = new byte[30];
        System.arraycopy(whole, 0, cut, 0, cut.length);
        return cut;
    }

    private interface Writing {
        int write(org.agrona.MutableDirectBuffer buffer);
    }

    private static byte[] frame(final Writing writing) {
        final org.agrona.concurrent.UnsafeBuffer buffer = new org.agrona.concurrent.UnsafeBuffer(new byte[2048]);
        final int length = writing.write(buffer);
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    /** Sends one frame from a host and checks that exactly the expected hosts received it. */
    private void step(final String title, final String from, final byte[] frame, final String... expected) {
        final PacketPool pool = dataplane.pool();
        final long d = Descriptor.of(hostCache.allocate(), pool.headroom(), frame.length);
        pool.view().putBytes(pool.offsetOf(d), frame);
        dataplane.sync(); // configuration applies between bursts: let it land before the frame
        final long dropsBefore = dataplane.worker().counters().totalDrops();
        hosts.get(from).a().transmit(d);
        settle();

        final Set<String> got = new TreeSet<>();
        for (final Map.Entry<String, MemoryLink> host : hosts.entrySet()) {
            long r;
            while ((r = host.getValue().a().receive()) != -1L) {
                got.add(host.getKey());
                hostCache.free(r);
            }
        }
        final long dropped = dataplane.worker().counters().totalDrops() - dropsBefore;
        final Set<String> want = new TreeSet<>(List.of(expected));
        final boolean ok = got.equals(want) && (expected.length > 0 || dropped == 1);
        if (!ok) {
            failures++;
        }
        out.printf("%-78s -> %s%s%n", title,
            got.isEmpty() ? "delivered to nobody" : "delivered to " + String.join(", ", got),
            dropped > 0 ? " (dropped " + dropped + ")" : "");
        if (!ok) {
            out.printf("   UNEXPECTED: wanted %s%n", want.isEmpty() ? "a drop" : want);
        }
    }

    /** Waits (bounded) until the worker has taken every frame and finished that round. */
    private void settle() {
        for (int i = 0; i < 10_000; i++) {
            boolean pending = false;
            for (final MemoryLink link : hosts.values()) {
                pending |= link.b().pending() > 0;
            }
            if (!pending) {
                break;
            }
            LockSupport.parkNanos(100_000);
        }
        dataplane.sync();
    }

    private void printCounters() {
        final WorkerCounters c = dataplane.worker().counters();
        out.println();
        out.println("namespace counters (show runtime / show errors style):");
        out.printf("  %-6s %4s %8s %8s %8s %8s %6s%n", "name", "id", "rx-pkts", "tx-pkts", "floods", "drops", "macs");
        for (final NamespaceInfo info : dataplane.namespaces().namespaces()) {
            out.printf("  %-6s %4d %8d %8d %8d %8d %6d%n", info.name(), info.id(), c.namespaceRxPackets(info.id()),
                c.namespaceTxPackets(info.id()), c.namespaceFloods(info.id()), c.namespaceDrops(info.id()),
                dataplane.worker().macTable().count(info.id()));
        }
        out.println("drops by reason:");
        for (final DropReason reason : DropReason.values()) {
            if (reason != DropReason.NONE && c.drops(reason) > 0) {
                out.printf("  %-28s %6d  %s%n", reason.counterName(), c.drops(reason), reason.description());
            }
        }
        out.printf("worker: %d busy polls, %d idle polls, %.0f ns busy per frame, %d commands applied%n",
            c.busyPolls, c.idlePolls, c.busyNanosPerPacket(), c.commandsApplied);
    }
}

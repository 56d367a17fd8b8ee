package dev.nsdp.perf.jmh;

import dev.nsdp.dataplane.buffer.BufferCache;
import dev.nsdp.dataplane.buffer.Descriptor;
import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.buffer.PacketVector;
import dev.nsdp.dataplane.codec.FrameWriter;
import dev.nsdp.dataplane.counter.DropReason;
import dev.nsdp.dataplane.namespace.NamespaceSettings;
import dev.nsdp.dataplane.pipeline.Worker;
import dev.nsdp.dataplane.pipeline.WorkerProxy;
import dev.nsdp.dataplane.port.MemoryLink;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * L2 forwarding of 64-byte UDP/IPv4 frames through one worker over memory ports, the whole switching path:
 * poll, parse and validate, classify, learn the source, look up the destination, count, transmit.
 * One benchmark operation is one frame. The generator rewrites MACs (and the VLAN id) into a hot
 * set of 512 recycled buffers, as a NIC ring would deliver fresh frames; every destination was
 * learned beforehand, so every frame is a unicast hit, and teardown fails the run if a single frame
 * was dropped or flooded.
 *
 * <p>Scenarios (issue 2): {@code a_1ns_1k}: one namespace, 1,000 MACs; {@code b_1ns_1M}: one
 * namespace, 1M MACs; {@code c_10kns_1M}: 10,000 namespaces x 100 MACs, the same MACs reused in
 * every namespace, reached through VLAN trunks (10,000 namespaces need more than one port can
 * classify untagged); {@code b_1ns_1M_trunk}: scenario b through the same trunk path as c, so c/b
 * isolates the cost of the namespace count itself.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class L2ForwardingBenchmark {
    static final int BURST = 256;
    /** 60 bytes in memory: a 64-byte frame on the wire, less the FCS the NIC would add. */
    static final int FRAME = 60;
    static final int HOT_BUFFERS = 512;
    static final int VLANS_PER_TRUNK = 3334;

    @Param({"a_1ns_1k", "b_1ns_1M", "b_1ns_1M_trunk", "c_10kns_1M"})
    public String scenario;

    private final FrameWriter writer = new FrameWriter();
    private PacketPool pool;
    private UnsafeBuffer view;
    private BufferCache cache;
    private Worker worker;
    private MemoryLink[] ingress;
    private MemoryLink[] egress;
    private PacketVector[] perTrunk;
    private long[] free;
    private int freeCount;
    private boolean trunked;
    private int namespaces;
    private int pairsPerNamespace;
    private long pattern;
    private long patternLength;
    private long injected;
    private long delivered;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        final int macsPerNamespace;
        switch (scenario) {
            case "a_1ns_1k" -> { namespaces = 1; macsPerNamespace = 1_000; trunked = false; }
            case "b_1ns_1M" -> { namespaces = 1; macsPerNamespace = 1_000_000; trunked = false; }
            case "b_1ns_1M_trunk" -> { namespaces = 1; macsPerNamespace = 1_000_000; trunked = true; }
            case "c_10kns_1M" -> { namespaces = 10_000; macsPerNamespace = 100; trunked = true; }
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        }
        pairsPerNamespace = macsPerNamespace / 2; // half destinations, half sources
        patternLength = (long) namespaces * pairsPerNamespace;

        pool = new PacketPool(HOT_BUFFERS + 16384, 256, 64);
        view = pool.view();
        cache = pool.newCache(512);
        final int totalMacs = namespaces * macsPerNamespace;
        worker = new Worker("bench", pool, Math.max(4096, totalMacs + totalMacs / 4));
        final WorkerProxy proxy = new WorkerProxy(worker);
        final NamespaceSettings settings = NamespaceSettings.DEFAULTS
            .withMacAgingSeconds(1_000_000).withMacLimit(Math.max(8192, macsPerNamespace * 2));

        final int links = trunked ? (namespaces + VLANS_PER_TRUNK - 1) / VLANS_PER_TRUNK : 1;
        ingress = new MemoryLink[links];
        egress = new MemoryLink[links];
        perTrunk = new PacketVector[links];
        for (int t = 0; t < links; t++) {
            ingress[t] = new MemoryLink("gen" + t, "in" + t, 4096);
            egress[t] = new MemoryLink("sink" + t, "out" + t, 4096);
            perTrunk[t] = new PacketVector();
        }
        for (int ns = 1; ns <= namespaces; ns++) {
            proxy.namespaceCreated(ns, dev.nsdp.dataplane.namespace.Level.L2, settings);
            drainCommands(proxy, ns);
        }
        for (int t = 0; t < links; t++) {
            // Access ports sit in namespace 1; trunk ports in the root namespace, their VLANs mapped below.
            proxy.portAttached(2 * t, ingress[t].b(), trunked ? 0 : 1, true);
            proxy.portAttached(2 * t + 1, egress[t].b(), trunked ? 0 : 1, true);
        }
        proxy.namespaceCreated(0, dev.nsdp.dataplane.namespace.Level.L2, NamespaceSettings.DEFAULTS);
        if (trunked) {
            for (int ns = 1; ns <= namespaces; ns++) {
                final int t = trunkOf(ns);
                proxy.vlanMapped(2 * t, vlanOf(ns), ns);
                proxy.vlanMapped(2 * t + 1, vlanOf(ns), ns);
                drainCommands(proxy, ns);
            }
        }
        worker.applyPendingCommands();

        free = new long[HOT_BUFFERS];
        for (int i = 0; i < HOT_BUFFERS; i++) {
            final long d = Descriptor.of(cache.allocate(), pool.headroom(), trunked ? FRAME + 4 : FRAME);
            writeTemplate(d);
            free[freeCount++] = d;
        }
        learnDestinations();
        injected = 0;
        delivered = 0;
    }

    private static void drainCommands(final WorkerProxy proxy, final int n) {
        if (n % 1000 == 0) {
            proxy.worker().applyPendingCommands();
        }
    }

    static int trunkOf(final int ns) {
        return (ns - 1) / VLANS_PER_TRUNK;
    }

    static int vlanOf(final int ns) {
        return (ns - 1) % VLANS_PER_TRUNK + 1;
    }

    /** MACs are reused in every namespace (tenants pick their own), so only the table key tells them apart. */
    static long mac(final int index, final boolean destination) {
        return 0x0200_0000_0000L | (destination ? 0x80_0000_0000L : 0) | index;
    }

    /**
     * A 64-byte UDP/IPv4 frame (60 bytes without the FCS; with the 802.1Q tag on trunks), so every
     * frame is validated through L2, L3 (IPv4 header checksum) and L4 as real traffic would be. Only
     * the MACs (and the VLAN id) change per frame, so the checksums stay right.
     */
    private void writeTemplate(final long d) {
        final int at = pool.offsetOf(d);
        final int length = writer.udp4(view, at, 0, 0, 0xC612_0001, 0xC612_0002, 1024, 1025, FRAME - FrameWriter.UDP4_HEADERS);
        if (trunked) {
            // Open a 4-byte gap after the MACs and put an 802.1Q tag in it.
            view.putBytes(at + 16, view, at + 12, length - 12);
            view.putShort(at + 12, (short) 0x8100, ByteOrder.BIG_ENDIAN);
        }
    }

    /** Each destination MAC announces itself from the egress side once, so the run is all unicast hits. */
    private void learnDestinations() {
        for (long p = 0; p < patternLength; p++) {
            final int ns = (int) (p % namespaces) + 1;
            final int pair = (int) (p / namespaces);
            final long d = take();
            writeFrame(d, ns, mac(pair, false), mac(pair, true));
            final int t = trunked ? trunkOf(ns) : 0;
            if (!egress[t].a().transmit(d)) {
                throw new IllegalStateException("egress ring full during learning");
            }
            if (freeCount == 0 || p == patternLength - 1) {
                runAndCollect();
            }
        }
        runAndCollect();
        if (worker.counters().totalDrops() != 0) {
            throw new IllegalStateException("drops while learning: " + worker.counters().totalDrops());
        }
    }

    private void runAndCollect() {
        for (int i = 0; i < 4; i++) {
            worker.doWork();
        }
        for (int t = 0; t < ingress.length; t++) {
            collect(ingress[t].a());
            collect(egress[t].a());
        }
    }

    private void collect(final MemoryLink.End end) {
        long d;
        while ((d = end.receive()) != -1L) {
            free[freeCount++] = Descriptor.withOffsetAndLength(d, pool.headroom(), trunked ? FRAME + 4 : FRAME);
        }
    }

    private long take() {
        return free[--freeCount];
    }

    private void writeFrame(final long d, final int ns, final long dst, final long src) {
        final int at = pool.offsetOf(d);
        view.putShort(at, (short) (dst >>> 32), ByteOrder.BIG_ENDIAN);
        view.putInt(at + 2, (int) dst, ByteOrder.BIG_ENDIAN);
        view.putShort(at + 6, (short) (src >>> 32), ByteOrder.BIG_ENDIAN);
        view.putInt(at + 8, (int) src, ByteOrder.BIG_ENDIAN);
        if (trunked) {
            view.putShort(at + 14, (short) vlanOf(ns), ByteOrder.BIG_ENDIAN);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public int forward() {
        for (int i = 0; i < BURST; i++) {
            final long p = pattern;
            pattern = p + 1 == patternLength ? 0 : p + 1;
            final int ns = (int) (p % namespaces) + 1;
            final int pair = (int) (p / namespaces);
            final long d = take();
            writeFrame(d, ns, mac(pair, true), mac(pair, false));
            perTrunk[trunked ? trunkOf(ns) : 0].add(d, 0);
        }
        for (int t = 0; t < ingress.length; t++) {
            final PacketVector v = perTrunk[t];
            if (v.count() > 0) {
                ingress[t].a().transmit(v, cache);
                v.clear();
            }
        }
        injected += BURST;
        final int work = worker.doWork();
        for (int t = 0; t < egress.length; t++) {
            final int before = freeCount;
            collect(egress[t].a());
            delivered += freeCount - before;
        }
        return work;
    }

    private final WorkerBusyMeter busy = new WorkerBusyMeter();

    @Setup(Level.Iteration)
    public void startIteration() {
        busy.start(worker.counters());
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        final double nanosPerFrame = busy.nanosPerFrame(worker.counters());
        System.out.printf(" [worker busy %.1f ns/frame = %.1f Mpps per core]", nanosPerFrame, 1e3 / nanosPerFrame);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        final long drops = worker.counters().totalDrops();
        final long floods = worker.counters().namespaceFloods(1);
        System.out.printf("%n[%s] injected %d delivered %d drops %d (%s) busy %.1f ns/frame%n",
            scenario, injected, delivered, drops,
            drops == 0 ? "none" : firstDropReason(), worker.counters().busyNanosPerPacket());
        worker.onClose();
        pool.close();
        if (drops != 0 || delivered != injected) {
            throw new IllegalStateException("benchmark lost frames: injected " + injected + ", delivered "
                + delivered + ", drops " + drops + ", floods in ns 1 " + floods);
        }
    }

    private String firstDropReason() {
        for (final DropReason r : DropReason.values()) {
            if (r != DropReason.NONE && worker.counters().drops(r) > 0) {
                return r.counterName() + "=" + worker.counters().drops(r);
            }
        }
        return "?";
    }
}

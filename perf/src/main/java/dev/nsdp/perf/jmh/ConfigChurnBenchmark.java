package dev.nsdp.perf.jmh;

import dev.nsdp.dataplane.buffer.BufferCache;
import dev.nsdp.dataplane.buffer.Descriptor;
import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.buffer.PacketVector;
import dev.nsdp.dataplane.codec.FrameWriter;
import dev.nsdp.dataplane.namespace.Caller;
import dev.nsdp.dataplane.namespace.NamespaceRegistry;
import dev.nsdp.dataplane.namespace.NamespaceSettings;
import dev.nsdp.dataplane.pipeline.Worker;
import dev.nsdp.dataplane.pipeline.WorkerProxy;
import dev.nsdp.dataplane.port.MemoryLink;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
 * Issue 7: "while 100,000 route changes per second are applied, forwarding over memory ports keeps at
 * least 95% of its rate". Routes do not exist yet, so the changes are static MAC adds and removes, the
 * same kind of table write a route change will be. A control thread applies them at
 * {@code churnPerSecond} through the real command path: {@link NamespaceRegistry#addStaticMac} /
 * {@link NamespaceRegistry#removeStaticMac} (the model's checks), the {@link WorkerProxy}, the worker's
 * lock-free command queue, applied by the worker between bursts. Meanwhile the benchmark thread runs
 * L2 forwarding exactly as {@link L2ForwardingBenchmark}'s scenario a (one namespace, 1,000 learned
 * MACs, 64-byte UDP/IPv4 frames, every frame a unicast hit; one operation is one frame).
 *
 * <p>Compare the score at {@code churnPerSecond=100000} with the one at 0: the ratio is what the
 * acceptance criterion asks for. Teardown prints the churn rate actually achieved, and fails the run
 * if it fell short by more than 5% or if a single frame was lost. The churned MACs are disjoint from
 * the forwarded ones (forwarding must not change meaning, only pay for the table writes).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ConfigChurnBenchmark {
    static final int BURST = 256;
    static final int FRAME = 60;
    static final int HOT_BUFFERS = 512;
    static final int FORWARDED_PAIRS = 500;
    static final int CHURN_MACS = 1024;
    static final String NAMESPACE = "bench";

    @Param({"0", "100000"})
    public int churnPerSecond;

    private final FrameWriter writer = new FrameWriter();
    private PacketPool pool;
    private UnsafeBuffer view;
    private BufferCache cache;
    private Worker worker;
    private MemoryLink ingress;
    private MemoryLink egress;
    private final PacketVector vector = new PacketVector();
    private long[] free;
    private int freeCount;
    private int pattern;
    private long injected;
    private long delivered;
    private Churn churn;

    @Setup(Level.Trial)
    public void setUp() {
        pool = new PacketPool(HOT_BUFFERS + 16384, 256, 64);
        view = pool.view();
        cache = pool.newCache(512);
        worker = new Worker("churn-bench", pool, 16384);
        final NamespaceRegistry registry = new NamespaceRegistry(new WorkerProxy(worker));
        final Caller admin = Caller.administrator("bench");
        registry.createNamespace(admin, NAMESPACE, dev.nsdp.dataplane.namespace.Level.L2);
        registry.setSettings(admin, NAMESPACE, NamespaceSettings.DEFAULTS.withMacAgingSeconds(1_000_000).withMacLimit(16384));
        ingress = new MemoryLink("gen", "in");
        egress = new MemoryLink("sink", "out");
        registry.addPort(admin, NAMESPACE, "in", ingress.b());
        registry.addPort(admin, NAMESPACE, "out", egress.b());
        registry.setPortUp(admin, NAMESPACE, "in", true);
        registry.setPortUp(admin, NAMESPACE, "out", true);
        worker.applyPendingCommands();

        free = new long[HOT_BUFFERS];
        for (int i = 0; i < HOT_BUFFERS; i++) {
            final long d = Descriptor.of(cache.allocate(), pool.headroom(), FRAME);
            writer.udp4(view, pool.offsetOf(d), 0, 0, 0xC612_0001, 0xC612_0002, 1024, 1025, FRAME - FrameWriter.UDP4_HEADERS);
            free[freeCount++] = d;
        }
        learnDestinations();
        injected = 0;
        delivered = 0;

        // From here on the registry belongs to the churn thread (Thread.start publishes it).
        churn = new Churn(registry, admin, churnPerSecond);
        if (churnPerSecond > 0) {
            churn.thread.start();
        }
    }

    static long forwardedMac(final int index, final boolean destination) {
        return 0x0200_0000_0000L | (destination ? 0x80_0000_0000L : 0) | index;
    }

    static long churnMac(final int index) {
        return 0x0600_0000_0000L | index;
    }

    private void learnDestinations() {
        for (int p = 0; p < FORWARDED_PAIRS; p++) {
            final long d = free[--freeCount];
            writeMacs(d, forwardedMac(p, false), forwardedMac(p, true));
            if (!egress.a().transmit(d)) {
                throw new IllegalStateException("egress ring full during learning");
            }
            if (freeCount == 0) {
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
        collect(ingress.a());
        collect(egress.a());
    }

    private void collect(final MemoryLink.End end) {
        long d;
        while ((d = end.receive()) != -1L) {
            free[freeCount++] = Descriptor.withOffsetAndLength(d, pool.headroom(), FRAME);
        }
    }

    private void writeMacs(final long d, final long dst, final long src) {
        final int at = pool.offsetOf(d);
        view.putShort(at, (short) (dst >>> 32), ByteOrder.BIG_ENDIAN);
        view.putInt(at + 2, (int) dst, ByteOrder.BIG_ENDIAN);
        view.putShort(at + 6, (short) (src >>> 32), ByteOrder.BIG_ENDIAN);
        view.putInt(at + 8, (int) src, ByteOrder.BIG_ENDIAN);
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public int forward() {
        for (int i = 0; i < BURST; i++) {
            final int p = pattern;
            pattern = p + 1 == FORWARDED_PAIRS ? 0 : p + 1;
            final long d = free[--freeCount];
            writeMacs(d, forwardedMac(p, true), forwardedMac(p, false));
            vector.add(d, 0);
        }
        ingress.a().transmit(vector, cache);
        vector.clear();
        injected += BURST;
        final int work = worker.doWork(); // also applies up to 64 queued configuration commands, between bursts
        final int before = freeCount;
        collect(egress.a());
        delivered += freeCount - before;
        return work;
    }

    private final WorkerBusyMeter busy = new WorkerBusyMeter();

    @Setup(Level.Iteration)
    public void startIteration() {
        busy.start(worker.counters());
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        System.out.printf(" [worker busy %.1f ns/frame]", busy.nanosPerFrame(worker.counters()));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        churn.stop();
        worker.applyPendingCommands();
        final double achieved = churn.achievedPerSecond();
        System.out.printf("%n[churn %d/s] achieved %.0f changes/s (%d changes, %d applied by the worker), injected %d delivered %d drops %d%n",
            churnPerSecond, achieved, churn.changes, worker.counters().commandsApplied, injected, delivered,
            worker.counters().totalDrops());
        worker.onClose();
        pool.close();
        if (worker.counters().totalDrops() != 0 || delivered != injected) {
            throw new IllegalStateException("frames lost under churn: injected " + injected + ", delivered " + delivered);
        }
        if (churnPerSecond > 0 && achieved < churnPerSecond * 0.95) {
            throw new IllegalStateException("the churn thread reached only " + achieved + " changes/s of " + churnPerSecond);
        }
    }

    /**
     * The control thread: adds the 1,024 churn MACs one by one, removes them one by one, and so on,
     * paced to {@code perSecond} changes (due changes are made in a batch, then it parks ~20 µs).
     */
    static final class Churn implements Runnable {
        final Thread thread;
        private final NamespaceRegistry registry;
        private final Caller caller;
        private final int perSecond;
        private volatile boolean running = true;
        volatile long changes;
        private long startNanos;
        private long endNanos;

        Churn(final NamespaceRegistry registry, final Caller caller, final int perSecond) {
            this.registry = registry;
            this.caller = caller;
            this.perSecond = perSecond;
            this.thread = new Thread(this, "nsdp-control-churn");
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            startNanos = System.nanoTime();
            long done = 0;
            while (running) {
                final long due = (System.nanoTime() - startNanos) * perSecond / 1_000_000_000L;
                while (done < due) {
                    final int step = (int) (done % (2L * CHURN_MACS));
                    if (step < CHURN_MACS) {
                        registry.addStaticMac(caller, NAMESPACE, churnMac(step), "out");
                    } else {
                        registry.removeStaticMac(caller, NAMESPACE, churnMac(step - CHURN_MACS));
                    }
                    done++;
                }
                changes = done;
                LockSupport.parkNanos(20_000);
            }
            endNanos = System.nanoTime();
            changes = done;
        }

        void stop() throws InterruptedException {
            running = false;
            if (thread.isAlive() || endNanos != 0) {
                thread.join(5_000);
            }
        }

        double achievedPerSecond() {
            return endNanos == 0 ? 0 : changes * 1e9 / (endNanos - startNanos);
        }
    }
}

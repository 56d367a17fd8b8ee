package dev.nsdp.perf.jmh;

import dev.nsdp.dataplane.table.MacTable;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The MAC table's hot operations in a production-sized table (capacity 4M entries: 8M slots,
 * 128 MiB, four times the L3 of a typical server core complex), filled three ways:
 * <ul>
 * <li>{@code 1k}: 1,000 stations in one namespace - a small switch, lines stay cached;</li>
 * <li>{@code 1M}: 1,000,000 stations in one namespace - random access over the whole table;</li>
 * <li>{@code 10000x100}: 10,000 namespaces of 100 stations, accessed at random across all.</li>
 * </ul>
 * Keys are visited in a shuffled order fixed at set-up, so every lookup lands on an unrelated line.
 * {@code lookupHit} lets the CPU overlap independent lookups as far as its out-of-order window
 * reaches; {@code lookupHitDependent} makes each lookup's key depend on the previous answer, so it
 * shows the latency of one lookup (a cache and TLB miss for the large layouts);
 * {@code lookupBurst} and {@code learnRefreshBurst} use the burst calls (32 keys, home lines loaded
 * first so the misses overlap), scored per key. Burst variants include gathering the keys into the
 * burst arrays.
 *
 * <p>Run: {@code java @scripts/jvm.options -cp perf/target/classes:$(cat perf/target/classpath.txt)
 * org.openjdk.jmh.Main MacTableBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MacTableBenchmark {
    private static final int CAPACITY = 4 << 20;
    private static final int BURST = 32;

    @Param({"1k", "1M", "10000x100"})
    public String layout;

    private MacTable table;
    private int[] namespaces;
    private long[] macs;
    private int[] ports;
    private long[] absentMacs;
    private int mask;
    private int next;
    private final int[] burstNamespaces = new int[BURST];
    private final long[] burstMacs = new long[BURST];
    private final int[] burstPorts = new int[BURST];
    private final int[] burstResults = new int[BURST];

    @Setup(Level.Trial)
    public void setUp() {
        final int namespaceCount;
        final int perNamespace;
        switch (layout) {
            case "1k" -> {
                namespaceCount = 1;
                perNamespace = 1000;
            }
            case "1M" -> {
                namespaceCount = 1;
                perNamespace = 1_000_000;
            }
            case "10000x100" -> {
                namespaceCount = 10_000;
                perNamespace = 100;
            }
            default -> throw new IllegalArgumentException("unknown layout " + layout);
        }
        final int entries = namespaceCount * perNamespace;
        table = new MacTable(CAPACITY, perNamespace, 300_000);
        final SplittableRandom random = new SplittableRandom(7);
        // Arrays are a power of two long (entries repeat a little) so the index is a mask.
        final int length = Integer.highestOneBit(entries - 1) << 1;
        mask = length - 1;
        namespaces = new int[length];
        macs = new long[length];
        ports = new int[length];
        absentMacs = new long[length];
        final int[] order = new int[entries];
        for (int i = 0; i < entries; i++) {
            order[i] = i;
        }
        for (int i = entries - 1; i > 0; i--) {
            final int j = random.nextInt(i + 1);
            final int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int i = 0; i < entries; i++) {
            final int ns = 1 + i / perNamespace;
            final long mac = stationMac(random);
            final int port = i & 0xFFF;
            if (table.learn(ns, mac, port, 0) != MacTable.LEARNED) {
                throw new IllegalStateException("set-up could not learn entry " + i);
            }
            for (int slot = order[i]; slot < length; slot += entries) {
                namespaces[slot] = ns;
                macs[slot] = mac;
                ports[slot] = port;
                absentMacs[slot] = stationMac(random);
            }
        }
    }

    private static long stationMac(final SplittableRandom random) {
        return (random.nextLong() & 0xFEFF_FFFF_FFFFL) | 0x0200_0000_0000L;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        table.close();
    }

    @Benchmark
    public int lookupHit() {
        final int i = next++ & mask;
        return table.lookup(namespaces[i], macs[i]);
    }

    @Benchmark
    public int lookupHitDependent() {
        // The answer always equals ports[i], but neither the JIT nor the CPU can know: the next
        // key's index waits for the value loaded from the table, so lookups cannot overlap. (A test
        // on the sign of the port alone is not enough: the JIT splits the hit and miss paths and
        // the CPU then predicts the branch and runs ahead.)
        final int i = next & mask;
        final int port = table.lookup(namespaces[i], macs[i]);
        next = i + 1 + ((port ^ ports[i]) & 0x10000);
        return port;
    }

    @Benchmark
    public int lookupMiss() {
        final int i = next++ & mask;
        return table.lookup(namespaces[i], absentMacs[i]);
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public int lookupBurst() {
        fillBurst();
        table.lookupBurst(BURST, burstNamespaces, burstMacs, burstPorts);
        return burstPorts[BURST - 1];
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public int learnRefreshBurst() {
        fillBurst();
        table.learnBurst(BURST, burstNamespaces, burstMacs, burstPorts, 1, burstResults);
        return burstResults[BURST - 1];
    }

    /** Gathers the next burst of keys, as a worker gathers a burst's addresses before the table pass. */
    private void fillBurst() {
        for (int k = 0; k < BURST; k++) {
            final int i = next++ & mask;
            burstNamespaces[k] = namespaces[i];
            burstMacs[k] = macs[i];
            burstPorts[k] = ports[i];
        }
    }

    /** The per-frame source learn of a known station on its port: finds it, writes nothing. */
    @Benchmark
    public int learnRefresh() {
        final int i = next++ & mask;
        return table.learn(namespaces[i], macs[i], ports[i], 1);
    }
}

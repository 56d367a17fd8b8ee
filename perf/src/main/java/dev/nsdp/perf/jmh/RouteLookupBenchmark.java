package dev.nsdp.perf.jmh;

import dev.nsdp.dataplane.route.Ipv4RouteTable;
import dev.nsdp.dataplane.route.Ipv6RouteTable;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Route lookups on Internet-sized tables ({@link RouteMix}): IPv4 with 800,000 prefixes, IPv6 with
 * 200,000, all in one namespace (a full table), looked up at hosts inside random prefixes in a
 * shuffled order fixed at set-up. Scores are lookups per microsecond (= millions per second), on
 * one thread: {@code *Single} calls {@code lookup} per address, {@code *Burst} calls
 * {@code lookupBurst} on 32 addresses (index lines, then block lines, loaded for the whole burst
 * before the searches), the worker's per-burst shape.
 *
 * <p>Run: {@code scripts/bench RouteLookupBenchmark} (JMH options after the name).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RouteLookupBenchmark {
    static final int IPV4_PREFIXES = 800_000;
    static final int IPV6_PREFIXES = 200_000;
    /** Chunks: IPv4 has at most 65,536 + 256 + 1 in one namespace; IPv6 clusters under 25,000 /32s. */
    static final int IPV4_CHUNKS = 65_536 + 256 + 1;
    static final int IPV6_CHUNKS = 65_536;
    static final int BURST = 32;
    private static final int ADDRESSES = 1 << 20;

    private Ipv4RouteTable table4;
    private Ipv6RouteTable table6;
    private int[] addresses4;
    private long[] highs6;
    private long[] lows6;
    private int next;
    private final int[] burstNs = new int[BURST];
    private final int[] burst4 = new int[BURST];
    private final long[] burstHigh = new long[BURST];
    private final long[] burstLow = new long[BURST];
    private final int[] values = new int[BURST];

    @Setup(Level.Trial)
    public void setUp() {
        final int[] p4 = RouteMix.ipv4Prefixes(IPV4_PREFIXES, 4);
        table4 = new Ipv4RouteTable(IPV4_PREFIXES, IPV4_CHUNKS);
        for (int i = 0; i < IPV4_PREFIXES; i++) {
            table4.add(0, p4[i], p4[IPV4_PREFIXES + i], i);
        }
        final long[][] p6 = RouteMix.ipv6Prefixes(IPV6_PREFIXES, 6);
        table6 = new Ipv6RouteTable(IPV6_PREFIXES, IPV6_CHUNKS);
        for (int i = 0; i < IPV6_PREFIXES; i++) {
            table6.add(0, p6[0][i], p6[1][i], (int) p6[2][i], i);
        }
        final SplittableRandom random = new SplittableRandom(99);
        addresses4 = new int[ADDRESSES];
        highs6 = new long[ADDRESSES];
        lows6 = new long[ADDRESSES];
        for (int i = 0; i < ADDRESSES; i++) {
            addresses4[i] = RouteMix.ipv4Host(p4, IPV4_PREFIXES, random.nextInt(IPV4_PREFIXES), random);
            final int j = random.nextInt(IPV6_PREFIXES);
            final int length = (int) p6[2][j];
            highs6[i] = p6[0][j] | (random.nextLong() & ~Ipv6RouteTable.maskHigh(length));
            lows6[i] = p6[1][j] | (random.nextLong() & ~Ipv6RouteTable.maskLow(length));
        }
        for (int i = 0; i < ADDRESSES; i++) {
            if (table4.lookup(0, addresses4[i]) < 0 || table6.lookup(0, highs6[i], lows6[i]) < 0) {
                throw new IllegalStateException("a lookup address misses: " + i);
            }
        }
        System.out.printf("%nIPv4: %,d prefixes, %,d bytes (%.1f/route); IPv6: %,d prefixes, %,d bytes (%.1f/route)%n",
            table4.size(), table4.memoryBytes(), (double) table4.liveBlockBytes() / table4.size(),
            table6.size(), table6.memoryBytes(), (double) table6.liveBlockBytes() / table6.size());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        table4.close();
        table6.close();
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public void ipv4Single(final Blackhole bh) {
        int at = next;
        int sum = 0;
        for (int i = 0; i < BURST; i++) {
            sum += table4.lookup(0, addresses4[at]);
            at = (at + 1) & (ADDRESSES - 1);
        }
        next = at;
        bh.consume(sum);
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public void ipv4Burst(final Blackhole bh) {
        final int at = next;
        System.arraycopy(addresses4, at, burst4, 0, BURST);
        next = (at + BURST) & (ADDRESSES - 1);
        table4.lookupBurst(burstNs, burst4, values, BURST);
        bh.consume(values);
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public void ipv6Single(final Blackhole bh) {
        int at = next;
        int sum = 0;
        for (int i = 0; i < BURST; i++) {
            sum += table6.lookup(0, highs6[at], lows6[at]);
            at = (at + 1) & (ADDRESSES - 1);
        }
        next = at;
        bh.consume(sum);
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public void ipv6Burst(final Blackhole bh) {
        final int at = next;
        System.arraycopy(highs6, at, burstHigh, 0, BURST);
        System.arraycopy(lows6, at, burstLow, 0, BURST);
        next = (at + BURST) & (ADDRESSES - 1);
        table6.lookupBurst(burstNs, burstHigh, burstLow, values, BURST);
        bh.consume(values);
    }
}

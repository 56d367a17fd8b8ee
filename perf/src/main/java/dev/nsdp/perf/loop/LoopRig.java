package dev.nsdp.perf.loop;

import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.namespace.Caller;
import dev.nsdp.dataplane.namespace.Level;
import dev.nsdp.dataplane.namespace.NamespaceRegistry;
import dev.nsdp.dataplane.pipeline.Worker;
import dev.nsdp.dataplane.pipeline.WorkerCounters;
import dev.nsdp.dataplane.pipeline.WorkerIdleStrategy;
import dev.nsdp.dataplane.pipeline.WorkerProxy;
import dev.nsdp.dataplane.port.MemoryLink;
import dev.nsdp.dataplane.port.Port;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The device under test of the loop command: a real nsdp worker, on its own thread, switching
 * between two memory links in one level-2 namespace ("perf"):
 *
 * <pre>
 *   generator -> [gen | in] -> worker (L2 switch) -> [out | sink] -> sink
 * </pre>
 *
 * The sink's MAC is a static entry behind "out", so every frame is a unicast hit, as in a
 * steady-state benchmark; the generator's MAC is learned on "in". The pool's buffers are sized for
 * the largest frame asked for (2 KiB, or 16 KiB for jumbo frames). {@code dutIngress} may wrap the
 * worker's ingress port (the loop command wraps it in a {@link StallingPort} to inject a stall).
 */
public final class LoopRig implements AutoCloseable {
    public static final String NAMESPACE = "perf";
    private static final Caller OPERATOR = Caller.administrator("nsdp-perf");

    private final PacketPool pool;
    private final Worker worker;
    private final AgentRunner runner;
    private final MemoryLink ingress;
    private final MemoryLink egress;
    private volatile Throwable workerError;

    /**
     * @param largestFrame largest frame in bytes as stored (size without FCS)
     * @param ringSize     frames each memory link direction holds (a power of two)
     * @param busySpin     true: the worker spins when idle; false: nsdp's own idle strategy (spin,
     *                     yield, then park up to 1 ms: memory ports have no descriptor to poll)
     */
    public LoopRig(final int largestFrame, final int ringSize, final long sinkMac, final boolean busySpin,
        final UnaryOperator<Port> dutIngress) {
        this(largestFrame, ringSize, sinkMac, busySpin, dutIngress, true);
    }

    /**
     * With {@code startThread} false the worker gets no thread: the caller drives {@link #worker()}
     * itself (deterministic tests step it with the generator and sink).
     */
    public LoopRig(final int largestFrame, final int ringSize, final long sinkMac, final boolean busySpin,
        final UnaryOperator<Port> dutIngress, final boolean startThread) {
        final int bufferSize = largestFrame + PacketPool.DEFAULT_HEADROOM <= 2048 ? 2048 : 16_384;
        this.pool = new PacketPool(4 * ringSize + 8192, bufferSize, PacketPool.DEFAULT_HEADROOM);
        this.worker = new Worker("nsdp-dut", pool, 4096);
        final WorkerProxy proxy = new WorkerProxy(worker);
        final NamespaceRegistry registry = new NamespaceRegistry(proxy);
        this.ingress = new MemoryLink("gen", "in", ringSize);
        this.egress = new MemoryLink("sink", "out", ringSize);
        registry.createNamespace(OPERATOR, NAMESPACE, Level.L2);
        registry.addPort(OPERATOR, NAMESPACE, "in", dutIngress.apply(ingress.b()));
        registry.addPort(OPERATOR, NAMESPACE, "out", egress.b());
        registry.setPortUp(OPERATOR, NAMESPACE, "in", true);
        registry.setPortUp(OPERATOR, NAMESPACE, "out", true);
        registry.addStaticMac(OPERATOR, NAMESPACE, sinkMac, "out");
        final IdleStrategy idle = busySpin ? new BusySpinIdleStrategy() : new WorkerIdleStrategy(worker);
        this.runner = new AgentRunner(idle, error -> workerError = error, (AtomicCounter) null, worker);
        if (!startThread) {
            worker.applyPendingCommands();
            return;
        }
        AgentRunner.startOnThread(runner);
        try {
            proxy.sync(5, TimeUnit.SECONDS);
        } catch (final TimeoutException | InterruptedException e) {
            close();
            throw new IllegalStateException("the DUT worker did not start: " + e.getMessage(), e);
        }
    }

    public PacketPool pool() {
        return pool;
    }

    /** Where the generator transmits. */
    public Port generatorPort() {
        return ingress.a();
    }

    /** Where the sink receives. */
    public Port sinkPort() {
        return egress.a();
    }

    /** The DUT worker (drive it only when the rig was built without a thread). */
    public Worker worker() {
        return worker;
    }

    public WorkerCounters counters() {
        return worker.counters();
    }

    /** The worker's failure, if it had one (the run is then void). */
    public Throwable workerError() {
        return workerError;
    }

    @Override
    public void close() {
        runner.close();
        pool.close();
    }
}

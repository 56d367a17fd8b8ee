package dev.nsdp.dataplane;

import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.namespace.NamespaceRegistry;
import dev.nsdp.dataplane.pipeline.FanoutPlane;
import dev.nsdp.dataplane.pipeline.Worker;
import dev.nsdp.dataplane.pipeline.WorkerIdleStrategy;
import dev.nsdp.dataplane.pipeline.WorkerProxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * One dataplane: the packet pool, one or more workers each on its own thread, and the namespace
 * registry that programs them. The control side (demo, forwarder process, control API) talks to
 * {@link #namespaces()} on one control thread; every accepted change reaches every worker through
 * its command queue ({@link FanoutPlane}). {@link #sync()} waits until all have applied everything so
 * far. With several workers, a link they share is attached as a {@link dev.nsdp.dataplane.port.PortGroup}
 * (one socket per worker in a fanout group); a plain port is driven by worker 0 alone.
 */
public final class Dataplane implements AutoCloseable {
    /** Settings of a dataplane; {@link #DEFAULTS} suit a lab host. */
    public record Config(int poolBuffers, int macTableEntries) {
        public static final Config DEFAULTS = new Config(65_536, 1 << 20);

        public Config {
            if (poolBuffers < 1024) {
                throw new IllegalArgumentException("poolBuffers must be >= 1024, got " + poolBuffers);
            }
            if (macTableEntries < 1024) {
                throw new IllegalArgumentException("macTableEntries must be >= 1024, got " + macTableEntries);
            }
        }

    }

    private final PacketPool pool;
    private final List<Worker> workers = new ArrayList<>();
    private final List<WorkerProxy> proxies = new ArrayList<>();
    private final List<AgentRunner> runners = new ArrayList<>();
    private final NamespaceRegistry namespaces;
    private volatile Throwable workerError;

    public Dataplane(final Config config) {
        this(config, WorkerIdleStrategy.Mode.BALANCED);
    }

    /** A dataplane whose idle worker waits as {@code idleMode} says (see {@link WorkerIdleStrategy.Mode}). */
    public Dataplane(final Config config, final WorkerIdleStrategy.Mode idleMode) {
        this(config, idleMode, 1);
    }

    /** A dataplane with {@code workerCount} workers, named nsdp-worker-0, -1 ... */
    public Dataplane(final Config config, final WorkerIdleStrategy.Mode idleMode, final int workerCount) {
        if (workerCount < 1 || workerCount > 64) {
            throw new IllegalArgumentException("workers must be 1..64, got " + workerCount);
        }
        this.pool = new PacketPool(config.poolBuffers());
        final ErrorHandler onError = error -> workerError = error;
        for (int k = 0; k < workerCount; k++) {
            final Worker worker = new Worker("nsdp-worker-" + k, pool, config.macTableEntries());
            workers.add(worker);
            proxies.add(new WorkerProxy(worker));
            runners.add(new AgentRunner(new WorkerIdleStrategy(worker, idleMode), onError, (AtomicCounter) null, worker));
        }
        this.namespaces = new NamespaceRegistry(new FanoutPlane(proxies));
    }

    /** Starts the worker thread. */
    public Dataplane start() {
        runners.forEach(AgentRunner::startOnThread);
        return this;
    }

    /**
     * Starts the worker on a thread made by {@code threadFactory}: for a caller that needs to set the
     * thread up first (the forwarder pins it to a CPU from inside the thread, before the agent runs).
     */
    public Dataplane start(final ThreadFactory threadFactory) {
        runners.forEach(runner -> AgentRunner.startOnThread(runner, threadFactory));
        return this;
    }

    /** Waits until every worker has applied every change made so far (5 s at most each). */
    public void sync() {
        try {
            for (final WorkerProxy proxy : proxies) {
                proxy.sync(5, TimeUnit.SECONDS);
            }
        } catch (final TimeoutException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the worker", e);
        }
        final Throwable error = workerError;
        if (error != null) {
            throw new IllegalStateException("worker failed: " + error, error);
        }
    }

    public NamespaceRegistry namespaces() {
        return namespaces;
    }

    /** The first worker (the only one unless the dataplane was made with several). */
    public Worker worker() {
        return workers.get(0);
    }

    public List<Worker> workers() {
        return List.copyOf(workers);
    }

    public PacketPool pool() {
        return pool;
    }

    /** Stops the worker (it closes its ports) and frees the packet memory. */
    @Override
    public void close() {
        runners.forEach(AgentRunner::close); // runs each worker's onClose on its thread (or here if it never started)
        pool.close();
    }
}

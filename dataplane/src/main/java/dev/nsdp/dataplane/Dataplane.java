package dev.nsdp.dataplane;

import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.namespace.NamespaceRegistry;
import dev.nsdp.dataplane.pipeline.Worker;
import dev.nsdp.dataplane.pipeline.WorkerIdleStrategy;
import dev.nsdp.dataplane.pipeline.WorkerProxy;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * One dataplane: the packet pool, a worker on its own thread, and the namespace registry that
 * programs it. The control side (demo, forwarder process, control API) talks to
 * {@link #namespaces()} on one control thread; every accepted change reaches the worker through
 * its command queue. {@link #sync()} waits until the worker has applied everything so far.
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
    private final Worker worker;
    private final WorkerProxy proxy;
    private final NamespaceRegistry namespaces;
    private final AgentRunner runner;
    private volatile Throwable workerError;

    public Dataplane(final Config config) {
        this(config, WorkerIdleStrategy.Mode.BALANCED);
    }

    /** A dataplane whose idle worker waits as {@code idleMode} says (see {@link WorkerIdleStrategy.Mode}). */
    public Dataplane(final Config config, final WorkerIdleStrategy.Mode idleMode) {
        this.pool = new PacketPool(config.poolBuffers());
        this.worker = new Worker("nsdp-worker-0", pool, config.macTableEntries());
        this.proxy = new WorkerProxy(worker);
        this.namespaces = new NamespaceRegistry(proxy);
        final ErrorHandler onError = error -> workerError = error;
        this.runner = new AgentRunner(new WorkerIdleStrategy(worker, idleMode), onError, (AtomicCounter) null, worker);
    }

    /** Starts the worker thread. */
    public Dataplane start() {
        AgentRunner.startOnThread(runner);
        return this;
    }

    /**
     * Starts the worker on a thread made by {@code threadFactory}: for a caller that needs to set the
     * thread up first (the forwarder pins it to a CPU from inside the thread, before the agent runs).
     */
    public Dataplane start(final ThreadFactory threadFactory) {
        AgentRunner.startOnThread(runner, threadFactory);
        return this;
    }

    /** Waits until the worker has applied every change made so far (5 s at most). */
    public void sync() {
        try {
            proxy.sync(5, TimeUnit.SECONDS);
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

    public Worker worker() {
        return worker;
    }

    public PacketPool pool() {
        return pool;
    }

    /** Stops the worker (it closes its ports) and frees the packet memory. */
    @Override
    public void close() {
        runner.close(); // runs the worker's onClose on its thread (or here if it never started)
        pool.close();
    }
}

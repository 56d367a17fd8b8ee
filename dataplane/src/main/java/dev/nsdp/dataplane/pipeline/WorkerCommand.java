package dev.nsdp.dataplane.pipeline;

/**
 * A configuration change for a worker, applied on the worker's own thread between bursts, so the
 * worker stays the single writer of its forwarding state. Commands are created on the control
 * thread (allocation there is fine) and travel through a lock-free queue ({@link WorkerProxy}).
 */
@FunctionalInterface
public interface WorkerCommand {
    void applyTo(Worker worker);
}

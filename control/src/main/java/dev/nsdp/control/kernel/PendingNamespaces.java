package dev.nsdp.control.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Namespaces being created in the background by {@link NamedNamespaces#startAddAll}: wait for one
 * ({@link #awaitPinned}) or for all ({@link #await}).
 */
public final class PendingNamespaces {
    private final List<String> names;
    private final Map<String, Integer> indexOf;
    private final RuntimeException[] failures;
    private final boolean[] settled;
    private List<Thread> workers = List.of();

    PendingNamespaces(final List<String> names) {
        this.names = List.copyOf(names);
        this.indexOf = new HashMap<>(names.size() * 2);
        for (int i = 0; i < names.size(); i++) {
            indexOf.putIfAbsent(names.get(i), i);
        }
        this.failures = new RuntimeException[names.size()];
        this.settled = new boolean[names.size()];
    }

    /** True when {@code name} is one of the namespaces being created. */
    public boolean contains(final String name) {
        return indexOf.containsKey(name);
    }

    /**
     * Waits until {@code name} is made (true) or has failed (false). A name that is not part of
     * this batch is not waited for (true: it is someone else's to have made).
     */
    public boolean awaitPinned(final String name) {
        final Integer index = indexOf.get(name);
        if (index == null) {
            return true;
        }
        synchronized (this) {
            boolean interrupted = false;
            while (!settled[index]) {
                try {
                    wait();
                } catch (final InterruptedException e) {
                    interrupted = true; // the pinning thread will settle it: keep waiting
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return failures[index] == null;
        }
    }

    /** Waits for every namespace; each succeeded or failed on its own. */
    public BulkResult await() {
        NamedNamespaces.joinAll(workers);
        final List<BulkResult.Failure> list = new ArrayList<>();
        synchronized (this) {
            for (int i = 0; i < failures.length; i++) {
                if (failures[i] != null) {
                    list.add(new BulkResult.Failure(i, failures[i]));
                }
            }
        }
        return new BulkResult(names.size(), list);
    }

    synchronized void settle(final int index, final RuntimeException failure) {
        failures[index] = failure;
        settled[index] = true;
        notifyAll();
    }

    void start(final List<Thread> threads) {
        this.workers = List.copyOf(threads);
        for (final Thread thread : threads) {
            thread.start();
        }
    }
}

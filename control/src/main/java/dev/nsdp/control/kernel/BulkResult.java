package dev.nsdp.control.kernel;

import java.util.List;

/**
 * The outcome of a bulk operation: how many items were attempted and which of them failed (by
 * their index in the request list). Items not listed in {@link #failures} were applied.
 */
public record BulkResult(int attempted, List<Failure> failures) {
    /** Item {@code index} of the request failed with {@code error}. */
    public record Failure(int index, RuntimeException error) {
    }

    public BulkResult {
        failures = List.copyOf(failures);
    }

    public boolean ok() {
        return failures.isEmpty();
    }

    public int succeeded() {
        return attempted - failures.size();
    }

    /** Throws the first failure (with the count of others in its message) when any item failed. */
    public BulkResult orThrow() {
        if (failures.isEmpty()) {
            return this;
        }
        final RuntimeException first = failures.get(0).error();
        if (failures.size() == 1) {
            throw first;
        }
        throw new IllegalStateException(failures.size() + " of " + attempted + " failed; the first: "
            + first.getMessage(), first);
    }
}

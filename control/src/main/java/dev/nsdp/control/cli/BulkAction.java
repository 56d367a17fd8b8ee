package dev.nsdp.control.cli;

import dev.nsdp.control.kernel.BulkResult;
import java.util.List;

/**
 * An action that a batch may apply together with its neighbours of the same kind: consecutive
 * {@code netns add} lines become one {@code NamedNamespaces.addAll}, consecutive {@code link add}
 * lines one pipelined {@code RtNetlink.addLinks}, consecutive {@code link del} lines one group
 * delete. Each item still succeeds or fails on its own and is reported by its line.
 */
interface BulkAction extends Action {
    /** Actions with equal keys (and the same options) run together. */
    String bulkKey();

    /** Runs {@code run} (this action first, all of the same key) and reports failures by position. */
    BulkResult runAll(CliContext context, List<BulkAction> run);
}

package dev.nsdp.dataplane.table;

/**
 * Receives the entries of a {@link MacTable} walk ({@link MacTable#forEach}). Control path only:
 * the walk is for display and may run on any thread while the worker keeps switching.
 */
@FunctionalInterface
public interface MacEntryVisitor {
    /**
     * @param namespaceId the namespace the entry belongs to (0..65535)
     * @param mac         the station's MAC, low 48 bits
     * @param port        the port index frames to {@code mac} leave by
     * @param isStatic    configured by the operator (never learned over, never aged)
     * @param lastSeenMs  when a frame from {@code mac} was last seen, on the table's clock
     *                    ({@link MacTable#nowMs()}); for static entries, when it was configured
     */
    void accept(int namespaceId, long mac, int port, boolean isStatic, int lastSeenMs);
}

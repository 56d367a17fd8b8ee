package dev.nsdp.control.journal;

import dev.nsdp.control.model.Request;
import dev.nsdp.dataplane.namespace.Caller;

/**
 * One accepted change as the journal holds it: its sequence number (1, 2, 3 ... in acceptance
 * order), when it was accepted, who asked (the {@link Caller} decides the model's permission checks,
 * so replay repeats them exactly) and the request.
 */
public record JournalEntry(long sequence, long timeMillis, Caller caller, Request request) {
}

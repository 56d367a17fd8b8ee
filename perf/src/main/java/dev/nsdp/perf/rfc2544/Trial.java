package dev.nsdp.perf.rfc2544;

import dev.nsdp.perf.report.RunSummary;

/**
 * One trial of the search: offered at {@code ratePps}, what was sent and received, and the verdict.
 * A trial passes when its loss ratio is at most the acceptable one and the tester really offered the
 * rate (sent everything, at no less than {@link ThroughputSearch#OFFERED_TOLERANCE} of the target):
 * a trial the generator could not keep is no evidence about the DUT either way, and is reported as
 * failed for that reason, not for loss.
 */
public record Trial(int number, long ratePps, long sent, long received, long unsent, double offeredPps,
    double lossRatio, boolean passed, String verdict, RunSummary summary) {

    /** What a trial runner reports; {@code summary} may be null (synthetic runners in tests). */
    public record Outcome(long sent, long received, long unsent, double offeredPps, RunSummary summary) {
        public static Outcome of(final RunSummary s) {
            return new Outcome(s.framesSent(), s.unique(), s.framesUnsent(), s.offeredPps(), s);
        }
    }

    static Trial judge(final int number, final long ratePps, final Outcome o, final double acceptableLoss) {
        final long lost = o.sent() - o.received();
        final double loss = o.sent() > 0 ? (double) lost / o.sent() : 1;
        final boolean testerKept = o.unsent() == 0 && o.offeredPps() >= ratePps * ThroughputSearch.OFFERED_TOLERANCE;
        final boolean lossOk = loss <= acceptableLoss;
        final String verdict = !testerKept ? "tester could not offer the rate"
            : lossOk ? (lost == 0 ? "no loss" : "loss within the acceptable ratio")
            : "loss";
        return new Trial(number, ratePps, o.sent(), o.received(), o.unsent(), o.offeredPps(), loss, testerKept && lossOk,
            verdict, o.summary());
    }

    public boolean testerLimited() {
        return !passed && verdict.startsWith("tester");
    }
}

package dev.nsdp.perf.rfc2544;

import dev.nsdp.perf.traffic.FrameSizes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * RFC 2544 section 26.1 throughput: the highest rate at which the DUT forwards every frame it is
 * sent (or loses at most a given ratio, as RFC 2544's later practice and RFC 6815 allow), found by
 * binary search between a minimum and a maximum rate, one trial of fixed duration per step, for one
 * frame size at a time.
 *
 * <p>The first trial runs at the maximum: if it passes, that is the answer (the DUT is not the
 * limit below it). Otherwise the search halves the interval between the highest rate that passed
 * (initially the minimum, untested) and the lowest that failed, until the interval is narrower than
 * {@code resolution} times the failing rate, or {@code maxTrials} were run. If no trial passed, the
 * minimum is tried last; when it fails too, the throughput is 0.
 */
public final class ThroughputSearch {
    /** A trial must offer at least this share of its target rate to count. */
    public static final double OFFERED_TOLERANCE = 0.995;

    /** Runs one trial of {@code sizes} at {@code ratePps}; {@code number} counts trials from 1 across the search. */
    @FunctionalInterface
    public interface TrialRunner {
        Trial.Outcome run(FrameSizes sizes, long ratePps, int number);
    }

    public record Settings(long minRatePps, long maxRatePps, double acceptableLossRatio, double resolution, int maxTrials) {
        public Settings {
            if (minRatePps < 1 || maxRatePps < minRatePps) {
                throw new IllegalArgumentException("need 1 <= min rate <= max rate, got " + minRatePps + " and " + maxRatePps);
            }
            if (acceptableLossRatio < 0 || acceptableLossRatio >= 1) {
                throw new IllegalArgumentException("acceptable loss ratio must be in [0, 1), got " + acceptableLossRatio);
            }
            if (resolution <= 0 || resolution >= 1) {
                throw new IllegalArgumentException("resolution must be in (0, 1), got " + resolution);
            }
            if (maxTrials < 1) {
                throw new IllegalArgumentException("max trials must be >= 1");
            }
        }
    }

    /** The search's outcome for one frame size; {@code throughputPps} is 0 if no trial passed. */
    public record Result(FrameSizes sizes, long throughputPps, Trial best, List<Trial> trials) {
        /** True when a failure that bounded the search was the tester's, not the DUT's loss. */
        public boolean testerLimited() {
            return trials.stream().anyMatch(t -> t.testerLimited() && t.ratePps() > throughputPps);
        }
    }

    private final Settings settings;
    private Consumer<Trial> onTrial = t -> { };

    public ThroughputSearch(final Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    public Result search(final FrameSizes sizes, final TrialRunner runner) {
        return search(sizes, runner, t -> { });
    }

    /** As {@link #search(FrameSizes, TrialRunner)}, telling {@code onTrial} of each trial as it is judged. */
    public Result search(final FrameSizes sizes, final TrialRunner runner, final Consumer<Trial> onTrial) {
        this.onTrial = onTrial;
        final List<Trial> trials = new ArrayList<>();
        Trial best = null;
        long lo = settings.minRatePps();
        long hi = settings.maxRatePps();
        final Trial first = trial(sizes, hi, trials, runner);
        if (first.passed()) {
            return new Result(sizes, hi, first, List.copyOf(trials));
        }
        while (trials.size() < settings.maxTrials() && hi - lo > Math.max(1, settings.resolution() * hi)) {
            final long mid = lo + (hi - lo) / 2;
            final Trial t = trial(sizes, mid, trials, runner);
            if (t.passed()) {
                lo = mid;
                best = t;
            } else {
                hi = mid;
            }
        }
        if (best == null) {
            final Trial floor = trial(sizes, settings.minRatePps(), trials, runner);
            if (floor.passed()) {
                best = floor;
            }
        }
        return new Result(sizes, best == null ? 0 : best.ratePps(), best, List.copyOf(trials));
    }

    private Trial trial(final FrameSizes sizes, final long rate, final List<Trial> trials, final TrialRunner runner) {
        final int number = trials.size() + 1;
        final Trial t = Trial.judge(number, rate, runner.run(sizes, rate, number), settings.acceptableLossRatio());
        trials.add(t);
        onTrial.accept(t);
        return t;
    }
}

package dev.nsdp.perf.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StreamTrackerTest {
    @Test
    void classifiesEveryFrameExactly() {
        final StreamTracker t = new StreamTracker(2, 64);
        assertEquals(StreamTracker.ADVANCED, t.record(0, 0));
        assertEquals(StreamTracker.ADVANCED, t.record(0, 1));
        assertEquals(StreamTracker.ADVANCED, t.record(0, 4));      // 2 and 3 missing
        assertEquals(2, t.lost(0));
        assertEquals(StreamTracker.REORDERED, t.record(0, 2));     // late: fills a gap
        assertEquals(1, t.lost(0));
        assertEquals(StreamTracker.DUPLICATE, t.record(0, 2));
        assertEquals(StreamTracker.DUPLICATE, t.record(0, 4));
        assertEquals(StreamTracker.ADVANCED, t.record(1, 0));      // streams are independent
        assertEquals(StreamTracker.ADVANCED, t.record(0, 200));    // jumps past the whole window
        assertEquals(StreamTracker.TOO_OLD, t.record(0, 3));       // 197 behind a 64-bit window
        assertEquals(StreamTracker.REORDERED, t.record(0, 150));   // inside the window, never seen
        assertEquals(StreamTracker.DUPLICATE, t.record(0, 150));
        assertEquals(201 + 1, t.expectedTotal());
        assertEquals(6 + 1, t.uniqueTotal());
        assertEquals(3, t.duplicateTotal());
        assertEquals(2, t.reorderedTotal());
        assertEquals(1, t.tooOldTotal());
        assertEquals(201 - 6, t.lost(0));
        assertEquals(0, t.lost(1));
    }

    @Test
    void windowSlotsAreForgottenWhenTheStreamMovesOn() {
        final StreamTracker t = new StreamTracker(1, 128);
        for (int s = 0; s < 1000; s += 2) {                       // every even number
            assertEquals(StreamTracker.ADVANCED, t.record(0, s));
        }
        // Odd numbers inside the window were never seen: reordered, not duplicates of the slot's
        // earlier occupant (s - 128), which the window must have forgotten.
        assertEquals(StreamTracker.REORDERED, t.record(0, 997));
        assertEquals(StreamTracker.REORDERED, t.record(0, 998 - 127));
        assertEquals(StreamTracker.TOO_OLD, t.record(0, 998 - 128 - 1));
        assertEquals(StreamTracker.DUPLICATE, t.record(0, 990));
    }

    @Test
    void sequenceNumbersExtendPastTwoToThe32() {
        final StreamTracker t = new StreamTracker(1, 1 << 16);
        for (long i = 0; i < 0x1_0000_0000L + 0x200; i += 0x4000) {
            assertEquals(StreamTracker.ADVANCED, t.record(0, (int) i));
        }
        assertEquals(0x1_0000_0000L, t.highest(0));
        assertEquals(StreamTracker.DUPLICATE, t.record(0, (int) (0x1_0000_0000L - 0x4000)));
        assertEquals(StreamTracker.REORDERED, t.record(0, (int) (0x1_0000_0000L - 1)));
        assertEquals(StreamTracker.ADVANCED, t.record(0, 1)); // 2^32 + 1
        assertEquals(0x1_0000_0001L, t.highest(0));
    }
}

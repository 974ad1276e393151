package io.github.spectralcircuits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProgressClockTest {
    private long now;

    @Test
    void estimateIsTheMeanStepTimesTheStepsLeftCountedFromTheFirstStep() {
        ProgressListener.Clock clock = new ProgressListener.Clock(() -> now);
        now = 20_000_000_000L; // 20 s of shared work before the first layer
        clock.stepStarts();
        now += 4_000_000_000L;
        assertEquals("24 s elapsed, about 2 min 04 s left", clock.after(1, 32));
        clock.stepStarts(); // later calls do not move the first step's start
        now += 6_000_000_000L;
        assertEquals("30 s elapsed, about 2 min 30 s left", clock.after(2, 32));
        now += 3_600_000_000_000L;
        assertEquals("1 h 00 min elapsed", clock.after(32, 32));
    }

    @Test
    void shortTimesKeepATenth() {
        ProgressListener.Clock clock = new ProgressListener.Clock(() -> now);
        clock.stepStarts();
        now = 1_250_000_000L;
        assertEquals("1.3 s elapsed, about 3.8 s left", clock.after(1, 4));
        assertEquals("0.0 s elapsed", new ProgressListener.Clock(() -> 0).after(0, 4), "no step done: no estimate");
    }
}

package io.github.spectralcircuits;

import java.util.Locale;
import java.util.function.LongSupplier;

/** Where the core reports progress on long work (per layer); the Maven plugin forwards it to its log. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = message -> { };

    void info(String message);

    /**
     * Elapsed time and an estimate of the time left for work done in equal steps (layers): "3.2 s elapsed,
     * about 41 s left". The estimate is the mean time of the steps done so far, counted from the first step's
     * start (shared work before it, such as the embedding's Gram, is in the elapsed time only).
     */
    final class Clock {
        private final LongSupplier nanos;
        private final long start;
        private long firstStep = -1;

        public Clock() {
            this(System::nanoTime);
        }

        /** With a clock of its own (tests). */
        public Clock(LongSupplier nanos) {
            this.nanos = nanos;
            this.start = nanos.getAsLong();
        }

        /** Marks the start of the first step (call before each step; only the first call counts). */
        public void stepStarts() {
            if (firstStep < 0) {
                firstStep = nanos.getAsLong();
            }
        }

        /** After {@code done} of {@code total} steps. */
        public String after(int done, int total) {
            long now = nanos.getAsLong();
            String elapsed = duration(now - start) + " elapsed";
            if (done >= total || done <= 0 || firstStep < 0) {
                return elapsed;
            }
            double perStep = (now - firstStep) / (double) done;
            return elapsed + ", about " + duration((long) (perStep * (total - done))) + " left";
        }

        /** "0.4 s", "12 s", "3 min 05 s", "1 h 02 min". */
        static String duration(long nanos) {
            double s = nanos / 1e9;
            if (s < 10) {
                return String.format(Locale.ROOT, "%.1f s", s);
            }
            long whole = Math.round(s);
            if (whole < 60) {
                return whole + " s";
            }
            if (whole < 3600) {
                return String.format(Locale.ROOT, "%d min %02d s", whole / 60, whole % 60);
            }
            return String.format(Locale.ROOT, "%d h %02d min", whole / 3600, whole / 60 % 60);
        }
    }
}

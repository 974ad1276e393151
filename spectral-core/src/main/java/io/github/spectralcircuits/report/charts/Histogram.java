package io.github.spectralcircuits.report.charts;

/**
 * Counts of values in equal-width bins over [lower, upper] (the last bin includes upper).
 * Values outside the window are counted in {@code outside}, not dropped silently, so a zoomed
 * view can say how much it leaves out.
 */
public record Histogram(double lower, double upper, long[] counts, long outside) {

    public static Histogram of(double[] values, double lower, double upper, int bins) {
        if (!(upper > lower) || bins < 1) {
            throw new IllegalArgumentException("need lower < upper and bins >= 1, got [" + lower + ", " + upper
                    + "] and " + bins);
        }
        long[] counts = new long[bins];
        long outside = 0;
        double width = (upper - lower) / bins;
        for (double x : values) {
            if (!(x >= lower && x <= upper)) {
                outside++;
                continue;
            }
            int i = (int) Math.floor((x - lower) / width);
            counts[Math.min(i, bins - 1)]++;
        }
        return new Histogram(lower, upper, counts, outside);
    }

    public int bins() {
        return counts.length;
    }

    public double binWidth() {
        return (upper - lower) / counts.length;
    }

    public double binStart(int i) {
        return lower + i * binWidth();
    }

    public long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }

    public long max() {
        long m = 0;
        for (long c : counts) {
            m = Math.max(m, c);
        }
        return m;
    }
}

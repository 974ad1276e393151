package io.github.spectralcircuits.linalg;

/**
 * The dot product of two runs of one row-major array, with four partial sums (the JIT does not
 * vectorise a double reduction, whose order Java fixes; four independent sums keep the pipelines
 * busy instead) combined in a fixed order, so the result is the same on every run and thread count.
 */
public final class RowDot {
    private RowDot() {
    }

    /** sum over k < len of a[x + k] * a[y + k]. */
    public static double dot(double[] a, int x, int y, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int k = 0;
        for (; k + 3 < len; k += 4) {
            s0 += a[x + k] * a[y + k];
            s1 += a[x + k + 1] * a[y + k + 1];
            s2 += a[x + k + 2] * a[y + k + 2];
            s3 += a[x + k + 3] * a[y + k + 3];
        }
        for (; k < len; k++) {
            s0 += a[x + k] * a[y + k];
        }
        return (s0 + s1) + (s2 + s3);
    }
}

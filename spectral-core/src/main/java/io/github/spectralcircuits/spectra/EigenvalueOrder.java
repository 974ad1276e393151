package io.github.spectralcircuits.spectra;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The report's eigenvalue order (SPEC section 4): descending modulus, then descending real part,
 * then descending imaginary part. Moduli and real parts that differ by rounding only (relative
 * RELATIVE_TIE of the largest modulus) count as equal, so a conjugate pair always comes +i before -i
 * and +r before -r, whatever the last bits of the decomposition.
 *
 * <p>Ties are resolved by grouping runs of a sort, not inside a comparator: a comparator with a
 * tolerance is not transitive, which sort algorithms are entitled to reject.
 */
public final class EigenvalueOrder {
    public static final double RELATIVE_TIE = 1e-9;

    private EigenvalueOrder() {
    }

    public static Eigenvalues sorted(double[] re, double[] im) {
        int n = re.length;
        if (im.length != n) {
            throw new IllegalArgumentException("re and im differ in length: " + n + " vs " + im.length);
        }
        double[] mod = new double[n];
        double max = 0;
        for (int i = 0; i < n; i++) {
            mod[i] = Math.hypot(re[i], im[i]);
            max = Math.max(max, mod[i]);
        }
        double tie = RELATIVE_TIE * max;
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, Comparator.comparingDouble((Integer i) -> -mod[i]));
        sortRuns(idx, 0, n, mod, tie, Comparator.comparingDouble((Integer i) -> -re[i]),
                (from, to) -> sortRuns(idx, from, to, re, tie, Comparator.comparingDouble((Integer i) -> -im[i]), null));
        double[] r = new double[n];
        double[] m = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = re[idx[i]];
            m[i] = im[idx[i]];
        }
        return new Eigenvalues(r, m);
    }

    private interface RunAction {
        void apply(int from, int to);
    }

    /**
     * idx[from, to) is sorted by key descending; each maximal run whose key stays within tie of the
     * run's first key is re-sorted by next, then handed to inner.
     */
    private static void sortRuns(Integer[] idx, int from, int to, double[] key, double tie,
                                 Comparator<Integer> next, RunAction inner) {
        int start = from;
        while (start < to) {
            int end = start + 1;
            while (end < to && Math.abs(key[idx[start]] - key[idx[end]]) <= tie) {
                end++;
            }
            if (end - start > 1) {
                Arrays.sort(idx, start, end, next);
                if (inner != null) {
                    inner.apply(start, end);
                }
            }
            start = end;
        }
    }
}

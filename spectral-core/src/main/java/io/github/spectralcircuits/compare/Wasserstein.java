package io.github.spectralcircuits.compare;

import java.util.Arrays;

/**
 * Wasserstein-1 (earth mover's) distance between two empirical distributions on the real line,
 * W1 = integral of |F(t) - G(t)| dt over the two step CDFs. Written by hand because commons-math3
 * (and Hipparchus) have no Wasserstein distance; in one dimension it is a single merge of the two
 * sorted samples, O((n + m) log(n + m)).
 */
public final class Wasserstein {
    private Wasserstein() {
    }

    public static double distance(double[] x, double[] y) {
        if (x.length == 0 || y.length == 0) {
            throw new IllegalArgumentException("Wasserstein-1 needs two non-empty samples");
        }
        double[] a = x.clone();
        double[] b = y.clone();
        Arrays.sort(a);
        Arrays.sort(b);
        int n = a.length;
        int m = b.length;
        int i = 0;
        int j = 0;
        double previous = Math.min(a[0], b[0]);
        double area = 0;
        while (i < n || j < m) {
            double t = j >= m || (i < n && a[i] <= b[j]) ? a[i] : b[j];
            // on [previous, t) the two CDFs are constant at i/n and j/m
            area += Math.abs((double) i / n - (double) j / m) * (t - previous);
            previous = t;
            while (i < n && a[i] == t) {
                i++;
            }
            while (j < m && b[j] == t) {
                j++;
            }
        }
        return area;
    }
}

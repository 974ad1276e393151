package io.github.spectralcircuits.linalg;

/**
 * All eigenvalues (no eigenvectors) of a small real square matrix: Householder reduction to upper
 * Hessenberg form, then Francis double-shift QR iterations with the exceptional shifts of EISPACK's
 * hqr (the algorithm of JAMA's public-domain EigenvalueDecomposition, without the eigenvector
 * accumulation). Each QR sweep touches only the active block, as an eigenvalues-only hqr may.
 *
 * <p>Written here for the heads' d_head x d_head eigen cores (48 x 48 on the reference workload,
 * two per head): EJML's general eigendecomposition spends three times as long on them (one thread,
 * CPU time: EJML 1.30 ms, this 0.44 ms), which made it the largest single cost of the per-layer
 * stage. The dense verification path keeps EJML, so the factored-versus-dense tests cross-check this
 * routine against an independent implementation.
 */
public final class HessenbergQr {
    /** EISPACK's bound: 30 iterations per eigenvalue on average before giving up. */
    private static final int ITERATIONS_PER_EIGENVALUE = 30;

    private HessenbergQr() {
    }

    /**
     * The eigenvalues of the n x n row-major matrix a (left untouched), as {re, im} in the order the
     * iterations deflate them; null when the iterations do not converge (NaN or infinite entries).
     */
    public static double[][] eigenvalues(double[] a, int n) {
        double[] h = a.clone();
        hessenberg(h, n);
        double[] re = new double[n];
        double[] im = new double[n];
        return francis(h, n, re, im) ? new double[][] {re, im} : null;
    }

    /** In place: h becomes Q^T A Q, upper Hessenberg, with exact zeros below the subdiagonal. */
    private static void hessenberg(double[] h, int n) {
        double[] ort = new double[n];
        int high = n - 1;
        for (int m = 1; m < high; m++) {
            double scale = 0;
            for (int i = m; i <= high; i++) {
                scale += Math.abs(h[i * n + m - 1]);
            }
            if (scale == 0) {
                continue;
            }
            double sum = 0;
            for (int i = high; i >= m; i--) {
                ort[i] = h[i * n + m - 1] / scale;
                sum += ort[i] * ort[i];
            }
            double g = Math.sqrt(sum);
            if (ort[m] > 0) {
                g = -g;
            }
            sum -= ort[m] * g;
            ort[m] -= g;
            // H = (I - u u^T / sum) H (I - u u^T / sum)
            for (int j = m; j < n; j++) {
                double f = 0;
                for (int i = high; i >= m; i--) {
                    f += ort[i] * h[i * n + j];
                }
                f /= sum;
                for (int i = m; i <= high; i++) {
                    h[i * n + j] -= f * ort[i];
                }
            }
            for (int i = 0; i <= high; i++) {
                int row = i * n;
                double f = 0;
                for (int j = high; j >= m; j--) {
                    f += ort[j] * h[row + j];
                }
                f /= sum;
                for (int j = m; j <= high; j++) {
                    h[row + j] -= f * ort[j];
                }
            }
            ort[m] *= scale;
            h[m * n + m - 1] = scale * g;
            for (int i = m + 1; i <= high; i++) {
                h[i * n + m - 1] = 0;
            }
        }
    }

    /** Francis double-shift QR on the Hessenberg matrix h; false when it does not converge. */
    private static boolean francis(double[] h, int size, double[] re, double[] im) {
        int n = size - 1;
        final int low = 0;
        final double eps = Math.ulp(1.0);
        double exshift = 0;
        double p = 0;
        double q = 0;
        double r = 0;
        double s;
        double z = 0;
        double w;
        double x;
        double y;

        double norm = 0;
        for (int i = 0; i < size; i++) {
            for (int j = Math.max(i - 1, 0); j < size; j++) {
                norm += Math.abs(h[i * size + j]);
            }
        }
        if (!Double.isFinite(norm)) {
            return false;
        }
        int iter = 0;
        int total = 0;
        while (n >= low) {
            // A single small subdiagonal element splits the matrix.
            int l = n;
            while (l > low) {
                s = Math.abs(h[(l - 1) * size + l - 1]) + Math.abs(h[l * size + l]);
                if (s == 0) {
                    s = norm;
                }
                if (Math.abs(h[l * size + l - 1]) < eps * s) {
                    break;
                }
                l--;
            }
            if (l == n) {
                // One root.
                re[n] = h[n * size + n] + exshift;
                im[n] = 0;
                n--;
                iter = 0;
            } else if (l == n - 1) {
                // Two roots, from the trailing 2 x 2 block.
                w = h[n * size + n - 1] * h[(n - 1) * size + n];
                p = (h[(n - 1) * size + n - 1] - h[n * size + n]) / 2;
                q = p * p + w;
                z = Math.sqrt(Math.abs(q));
                x = h[n * size + n] + exshift;
                if (q >= 0) {
                    z = p >= 0 ? p + z : p - z;
                    re[n - 1] = x + z;
                    re[n] = z != 0 ? x - w / z : x + z;
                    im[n - 1] = 0;
                    im[n] = 0;
                } else {
                    re[n - 1] = x + p;
                    re[n] = x + p;
                    im[n - 1] = z;
                    im[n] = -z;
                }
                n -= 2;
                iter = 0;
            } else {
                if (++total > ITERATIONS_PER_EIGENVALUE * size) {
                    return false;
                }
                x = h[n * size + n];
                y = h[(n - 1) * size + n - 1];
                w = h[n * size + n - 1] * h[(n - 1) * size + n];
                if (iter == 10) {
                    // Wilkinson's exceptional shift.
                    exshift += x;
                    for (int i = low; i <= n; i++) {
                        h[i * size + i] -= x;
                    }
                    s = Math.abs(h[n * size + n - 1]) + Math.abs(h[(n - 1) * size + n - 2]);
                    x = 0.75 * s;
                    y = x;
                    w = -0.4375 * s * s;
                }
                if (iter == 30) {
                    // MATLAB's exceptional shift.
                    s = (y - x) / 2;
                    s = s * s + w;
                    if (s > 0) {
                        s = Math.sqrt(s);
                        if (y < x) {
                            s = -s;
                        }
                        s = x - w / ((y - x) / 2 + s);
                        for (int i = low; i <= n; i++) {
                            h[i * size + i] -= s;
                        }
                        exshift += s;
                        x = 0.964;
                        y = x;
                        w = x;
                    }
                }
                iter++;
                // Two consecutive small subdiagonal elements: start the bulge there.
                int m = n - 2;
                while (m >= l) {
                    z = h[m * size + m];
                    r = x - z;
                    s = y - z;
                    p = (r * s - w) / h[(m + 1) * size + m] + h[m * size + m + 1];
                    q = h[(m + 1) * size + m + 1] - z - r - s;
                    r = h[(m + 2) * size + m + 1];
                    s = Math.abs(p) + Math.abs(q) + Math.abs(r);
                    p /= s;
                    q /= s;
                    r /= s;
                    if (m == l) {
                        break;
                    }
                    if (Math.abs(h[m * size + m - 1]) * (Math.abs(q) + Math.abs(r))
                            < eps * (Math.abs(p) * (Math.abs(h[(m - 1) * size + m - 1]) + Math.abs(z)
                            + Math.abs(h[(m + 1) * size + m + 1])))) {
                        break;
                    }
                    m--;
                }
                for (int i = m + 2; i <= n; i++) {
                    h[i * size + i - 2] = 0;
                    if (i > m + 2) {
                        h[i * size + i - 3] = 0;
                    }
                }
                // Double QR step on rows l..n and columns m..n.
                for (int k = m; k <= n - 1; k++) {
                    boolean notlast = k != n - 1;
                    if (k != m) {
                        p = h[k * size + k - 1];
                        q = h[(k + 1) * size + k - 1];
                        r = notlast ? h[(k + 2) * size + k - 1] : 0;
                        x = Math.abs(p) + Math.abs(q) + Math.abs(r);
                        if (x == 0) {
                            continue;
                        }
                        p /= x;
                        q /= x;
                        r /= x;
                    }
                    s = Math.sqrt(p * p + q * q + r * r);
                    if (p < 0) {
                        s = -s;
                    }
                    if (s != 0) {
                        if (k != m) {
                            h[k * size + k - 1] = -s * x;
                        } else if (l != m) {
                            h[k * size + k - 1] = -h[k * size + k - 1];
                        }
                        p += s;
                        x = p / s;
                        y = q / s;
                        z = r / s;
                        q /= p;
                        r /= p;
                        int rk = k * size;
                        int rk1 = rk + size;
                        int rk2 = rk1 + size;
                        for (int j = k; j <= n; j++) {
                            double t = h[rk + j] + q * h[rk1 + j];
                            if (notlast) {
                                t += r * h[rk2 + j];
                                h[rk2 + j] -= t * z;
                            }
                            h[rk + j] -= t * x;
                            h[rk1 + j] -= t * y;
                        }
                        int last = Math.min(n, k + 3);
                        for (int i = l; i <= last; i++) {
                            int ri = i * size;
                            double t = x * h[ri + k] + y * h[ri + k + 1];
                            if (notlast) {
                                t += z * h[ri + k + 2];
                                h[ri + k + 2] -= t * r;
                            }
                            h[ri + k] -= t;
                            h[ri + k + 1] -= t * q;
                        }
                    }
                }
            }
        }
        return true;
    }
}

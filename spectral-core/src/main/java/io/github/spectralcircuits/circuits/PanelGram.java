package io.github.spectralcircuits.circuits;

import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.linalg.RowMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ejml.data.DMatrixRMaj;

/**
 * The d x d products of tall [V, d] matrices that every head shares: X^T X, and optionally Y^T Y and
 * Y^T X, in one pass over the rows, a panel at a time, so a V x d embedding is never in the heap whole.
 *
 * <p>Written by hand because EJML's multTransA is several times slower than needed on V = 50k (see the
 * performance issue): each panel is transposed so that every entry is a contiguous dot product, and a
 * 4 x 4 register tile gives 16 multiply-adds per 8 loads. Only the upper triangle of a Gram is
 * computed. Panels are dealt to a few threads round-robin, each with its own accumulators, which are
 * summed in thread order at the end, so the result does not depend on scheduling.
 *
 * <p>Stored weights are usually float32: the product of two float32 values is exact in double (48
 * significant bits), so the only rounding is in the accumulation, which double keeps far below the
 * 1e-6 relative accuracy the report promises.
 */
public final class PanelGram {
    /** Rows per panel: a transposed panel of d = 768 columns is about 0.8 MB, and 8 rows of a tile fit L1. */
    static final int PANEL_ROWS = 128;
    private static final int TILE = 4;

    /** X^T X, Y^T Y (null without Y) and Y^T X (null without Y), all d x d. */
    public record Products(DMatrixRMaj gramX, DMatrixRMaj gramY, DMatrixRMaj crossYX) {
    }

    private PanelGram() {
    }

    /** Default thread count: every core the JVM sees, at most 8. */
    public static int defaultThreads() {
        return Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
    }

    /** X^T X alone. */
    public static DMatrixRMaj gram(RowMatrix x, int threads) {
        return compute(x, null, threads).gramX();
    }

    /**
     * X^T X and, when y is not null, Y^T Y and Y^T X. X and Y must have the same shape.
     */
    public static Products compute(RowMatrix x, RowMatrix y, int threads) {
        int rows = x.rows();
        int d = x.cols();
        if (y != null && (y.rows() != rows || y.cols() != d)) {
            throw new IllegalArgumentException("shapes differ: " + rows + "x" + d + " and " + y.rows() + "x" + y.cols());
        }
        int panels = (rows + PANEL_ROWS - 1) / PANEL_ROWS;
        int workers = Math.max(1, Math.min(threads, panels));
        if (workers == 1) {
            return new Worker(x, y, d, rows, 0, 1).call().toProducts(d);
        }
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "spectral-gram");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Accumulators>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                futures.add(pool.submit(new Worker(x, y, d, rows, w, workers)));
            }
            Accumulators total = null;
            for (Future<Accumulators> f : futures) {
                Accumulators a = f.get();
                if (total == null) {
                    total = a;
                } else {
                    total.add(a);
                }
            }
            return total.toProducts(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpectralException("Interrupted while computing the embedding Gram matrices.", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new SpectralException("Computing the embedding Gram matrices failed: " + cause, cause);
        } finally {
            pool.shutdownNow();
        }
    }

    private static final class Accumulators {
        final double[] gx;
        final double[] gy;
        final double[] cyx;

        Accumulators(int d, boolean withY) {
            gx = new double[d * d];
            gy = withY ? new double[d * d] : null;
            cyx = withY ? new double[d * d] : null;
        }

        void add(Accumulators o) {
            addInto(gx, o.gx);
            if (gy != null) {
                addInto(gy, o.gy);
                addInto(cyx, o.cyx);
            }
        }

        private static void addInto(double[] a, double[] b) {
            for (int i = 0; i < a.length; i++) {
                a[i] += b[i];
            }
        }

        Products toProducts(int d) {
            return new Products(symmetric(gx, d), gy == null ? null : symmetric(gy, d),
                    cyx == null ? null : new DMatrixRMaj(d, d, true, cyx));
        }

        /** Mirrors the computed upper triangle into the lower one. */
        private static DMatrixRMaj symmetric(double[] upper, int d) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < i; j++) {
                    upper[i * d + j] = upper[j * d + i];
                }
            }
            return new DMatrixRMaj(d, d, true, upper);
        }
    }

    private static final class Worker implements java.util.concurrent.Callable<Accumulators> {
        private final RowMatrix x;
        private final RowMatrix y;
        private final int d;
        private final int rows;
        private final int first;
        private final int stride;

        Worker(RowMatrix x, RowMatrix y, int d, int rows, int first, int stride) {
            this.x = x;
            this.y = y;
            this.d = d;
            this.rows = rows;
            this.first = first;
            this.stride = stride;
        }

        @Override
        public Accumulators call() {
            Accumulators acc = new Accumulators(d, y != null);
            double[] buf = new double[PANEL_ROWS * d];
            double[] tx = new double[PANEL_ROWS * d];
            double[] ty = y == null ? null : new double[PANEL_ROWS * d];
            for (int start = first * PANEL_ROWS; start < rows; start += stride * PANEL_ROWS) {
                int r = Math.min(PANEL_ROWS, rows - start);
                x.readRows(start, r, buf);
                transpose(buf, r, d, tx);
                accumulate(tx, tx, d, r, acc.gx, true);
                if (y != null) {
                    y.readRows(start, r, buf);
                    transpose(buf, r, d, ty);
                    accumulate(ty, ty, d, r, acc.gy, true);
                    accumulate(ty, tx, d, r, acc.cyx, false);
                }
            }
            return acc;
        }
    }

    /** Row-major panel [r, d] into column-major [d, r]: column c of the panel becomes a contiguous run. */
    static void transpose(double[] panel, int r, int d, double[] dst) {
        for (int i = 0; i < r; i++) {
            int src = i * d;
            for (int c = 0; c < d; c++) {
                dst[c * r + i] = panel[src + c];
            }
        }
    }

    /**
     * acc[i, j] += sum_k a[i, k] b[j, k] for a, b of shape [d, r] (row-major), over all (i, j), or over
     * the tiles on and above the diagonal when symmetric (then a == b).
     */
    static void accumulate(double[] a, double[] b, int d, int r, double[] acc, boolean symmetric) {
        for (int i0 = 0; i0 < d; i0 += TILE) {
            for (int j0 = symmetric ? i0 : 0; j0 < d; j0 += TILE) {
                if (i0 + TILE <= d && j0 + TILE <= d) {
                    tile(a, b, d, r, i0, j0, acc);
                } else {
                    edge(a, b, d, r, i0, j0, acc);
                }
            }
        }
    }

    private static void tile(double[] a, double[] b, int d, int r, int i0, int j0, double[] acc) {
        int a0 = i0 * r;
        int a1 = a0 + r;
        int a2 = a1 + r;
        int a3 = a2 + r;
        int b0 = j0 * r;
        int b1 = b0 + r;
        int b2 = b1 + r;
        int b3 = b2 + r;
        double s00 = 0, s01 = 0, s02 = 0, s03 = 0;
        double s10 = 0, s11 = 0, s12 = 0, s13 = 0;
        double s20 = 0, s21 = 0, s22 = 0, s23 = 0;
        double s30 = 0, s31 = 0, s32 = 0, s33 = 0;
        for (int k = 0; k < r; k++) {
            double x0 = a[a0 + k];
            double x1 = a[a1 + k];
            double x2 = a[a2 + k];
            double x3 = a[a3 + k];
            double y0 = b[b0 + k];
            double y1 = b[b1 + k];
            double y2 = b[b2 + k];
            double y3 = b[b3 + k];
            s00 += x0 * y0;
            s01 += x0 * y1;
            s02 += x0 * y2;
            s03 += x0 * y3;
            s10 += x1 * y0;
            s11 += x1 * y1;
            s12 += x1 * y2;
            s13 += x1 * y3;
            s20 += x2 * y0;
            s21 += x2 * y1;
            s22 += x2 * y2;
            s23 += x2 * y3;
            s30 += x3 * y0;
            s31 += x3 * y1;
            s32 += x3 * y2;
            s33 += x3 * y3;
        }
        int o = i0 * d + j0;
        acc[o] += s00;
        acc[o + 1] += s01;
        acc[o + 2] += s02;
        acc[o + 3] += s03;
        o += d;
        acc[o] += s10;
        acc[o + 1] += s11;
        acc[o + 2] += s12;
        acc[o + 3] += s13;
        o += d;
        acc[o] += s20;
        acc[o + 1] += s21;
        acc[o + 2] += s22;
        acc[o + 3] += s23;
        o += d;
        acc[o] += s30;
        acc[o + 1] += s31;
        acc[o + 2] += s32;
        acc[o + 3] += s33;
    }

    private static void edge(double[] a, double[] b, int d, int r, int i0, int j0, double[] acc) {
        for (int i = i0; i < Math.min(i0 + TILE, d); i++) {
            for (int j = j0; j < Math.min(j0 + TILE, d); j++) {
                double s = 0;
                int ai = i * r;
                int bj = j * r;
                for (int k = 0; k < r; k++) {
                    s += a[ai + k] * b[bj + k];
                }
                acc[i * d + j] += s;
            }
        }
    }
}

package io.github.spectralcircuits.linalg;

import io.github.spectralcircuits.SpectralException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ejml.data.DMatrixRMaj;

/**
 * The d x d products of tall V x d matrices (W_E^T W_E, W_U W_E, ...) that the whole analysis
 * rests on, read one panel of rows at a time so the tall matrices never sit in the heap.
 * The rows are cut into a fixed number of slices, each summed on its own and the slices added in
 * order, so the result does not depend on the number of threads or their scheduling.
 */
public final class TallProducts {
    static final int PANEL_ROWS = 64;
    private static final int SLICES = 8;

    private final DenseKernel kernel;
    private final int threads;

    public TallProducts(DenseKernel kernel, int threads) {
        this.kernel = kernel;
        this.threads = Math.max(1, threads);
    }

    public static TallProducts standard() {
        return new TallProducts(DenseKernel.best(), Runtime.getRuntime().availableProcessors());
    }

    /** X^T X, full symmetric d x d. */
    public DMatrixRMaj gram(RowMatrix x) {
        int n = x.cols();
        double[] g = sumOverSlices(x.rows(), n * n, (first, count, acc, buf) -> {
            x.readRows(first, count, buf[0]);
            kernel.addGramUpper(buf[0], count, n, acc);
        }, new int[] {PANEL_ROWS * n});
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                g[i * n + j] = g[j * n + i];
            }
        }
        return DMatrixRMaj.wrap(n, n, g);
    }

    /** A^T B for A (V x na) and B (V x nb) with the same number of rows. */
    public DMatrixRMaj crossProduct(RowMatrix a, RowMatrix b) {
        if (a.rows() != b.rows()) {
            throw new IllegalArgumentException("row counts differ: " + a.rows() + " vs " + b.rows());
        }
        int na = a.cols();
        int nb = b.cols();
        double[] c = sumOverSlices(a.rows(), na * nb, (first, count, acc, buf) -> {
            a.readRows(first, count, buf[0]);
            b.readRows(first, count, buf[1]);
            kernel.addTransAB(buf[0], buf[1], count, na, nb, acc);
        }, new int[] {PANEL_ROWS * na, PANEL_ROWS * nb});
        return DMatrixRMaj.wrap(na, nb, c);
    }

    private interface PanelStep {
        void accept(int firstRow, int rowCount, double[] accumulator, double[][] buffers);
    }

    private double[] sumOverSlices(int rows, int size, PanelStep step, int[] bufferSizes) {
        int panels = (rows + PANEL_ROWS - 1) / PANEL_ROWS;
        int slices = Math.max(1, Math.min(SLICES, panels));
        double[][] partial = new double[slices][];
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, slices), r -> {
            Thread t = new Thread(r, "spectral-products");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int s = 0; s < slices; s++) {
                final int slice = s;
                futures.add(pool.submit(() -> {
                    double[] acc = new double[size];
                    double[][] buf = new double[bufferSizes.length][];
                    for (int k = 0; k < buf.length; k++) {
                        buf[k] = new double[bufferSizes[k]];
                    }
                    int p0 = (int) ((long) panels * slice / slices);
                    int p1 = (int) ((long) panels * (slice + 1) / slices);
                    for (int p = p0; p < p1; p++) {
                        int first = p * PANEL_ROWS;
                        step.accept(first, Math.min(PANEL_ROWS, rows - first), acc, buf);
                    }
                    partial[slice] = acc;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpectralException("The analysis was interrupted while multiplying the embedding matrices.", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new SpectralException("Multiplying the embedding matrices failed: " + cause, cause);
        } finally {
            pool.shutdownNow();
        }
        double[] total = partial[0];
        for (int s = 1; s < slices; s++) {
            double[] p = partial[s];
            for (int k = 0; k < size; k++) {
                total[k] += p[k];
            }
        }
        return total;
    }
}

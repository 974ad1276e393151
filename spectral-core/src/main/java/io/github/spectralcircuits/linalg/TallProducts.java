package io.github.spectralcircuits.linalg;

import io.github.spectralcircuits.SpectralException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.ejml.data.DMatrixRMaj;

/**
 * The d x d products of tall V x d matrices (W_E^T W_E, W_U W_E, ...) that the whole analysis
 * rests on, read one panel of rows at a time so the tall matrices never sit in the heap.
 * Each panel (256 rows) is packed and multiplied by {@link PackedProduct}. The rows are cut into a
 * fixed number of slices, each summed on its own and the slices added in order, so the result does
 * not depend on the number of threads or their scheduling.
 */
public final class TallProducts {
    static final int PANEL_ROWS = TiledKernel.PANEL_ROWS;
    private static final int SLICES = 8;

    private final TiledKernel kernel;
    private final int threads;
    private final boolean nativeAllowed;

    /** On the given own kernel only (tests compare kernels). */
    public TallProducts(DenseKernel kernel, int threads) {
        this(kernel, threads, false);
    }

    private TallProducts(DenseKernel kernel, int threads, boolean nativeAllowed) {
        if (!(kernel instanceof TiledKernel tiled)) {
            throw new IllegalArgumentException("TallProducts needs one of DenseKernel's own kernels, not " + kernel.name());
        }
        this.kernel = tiled;
        this.threads = Math.max(1, threads);
        this.nativeAllowed = nativeAllowed;
    }

    /** The native BLAS when it is active ({@link NativeBlas}), else the best own kernel on every core. */
    public static TallProducts standard() {
        return new TallProducts(DenseKernel.best(), Runtime.getRuntime().availableProcessors(), true);
    }

    private java.util.Optional<NativeBlas> nativeFor(double multiplyAdds) {
        return nativeAllowed ? NativeBlas.forWork(multiplyAdds) : java.util.Optional.empty();
    }

    /** X^T X, full symmetric d x d. */
    public DMatrixRMaj gram(RowMatrix x) {
        int n = x.cols();
        var blas = nativeFor((double) x.rows() * n * n / 2);
        if (blas.isPresent()) {
            return DMatrixRMaj.wrap(n, n, blas.get().gram(x));
        }
        double[] g = sumOverSlices(x.rows(), () -> new SliceSum() {
            final double[] panel = new double[PANEL_ROWS * n];
            final PackedProduct sum = new PackedProduct(microKernel(), n, n, true, PANEL_ROWS);

            @Override
            public void add(int first, int count) {
                x.readRows(first, count, panel);
                sum.add(panel, panel, count);
            }

            @Override
            public PackedProduct sum() {
                return sum;
            }
        });
        return DMatrixRMaj.wrap(n, n, g);
    }

    /** A^T B for A (V x na) and B (V x nb) with the same number of rows. */
    public DMatrixRMaj crossProduct(RowMatrix a, RowMatrix b) {
        if (a.rows() != b.rows()) {
            throw new IllegalArgumentException("row counts differ: " + a.rows() + " vs " + b.rows());
        }
        int na = a.cols();
        int nb = b.cols();
        var blas = nativeFor((double) a.rows() * na * nb);
        if (blas.isPresent()) {
            return DMatrixRMaj.wrap(na, nb, blas.get().crossProduct(a, b));
        }
        double[] c = sumOverSlices(a.rows(), () -> new SliceSum() {
            final double[] panelA = new double[PANEL_ROWS * na];
            final double[] panelB = new double[PANEL_ROWS * nb];
            final PackedProduct sum = new PackedProduct(microKernel(), na, nb, false, PANEL_ROWS);

            @Override
            public void add(int first, int count) {
                a.readRows(first, count, panelA);
                b.readRows(first, count, panelB);
                sum.add(panelA, panelB, count);
            }

            @Override
            public PackedProduct sum() {
                return sum;
            }
        });
        return DMatrixRMaj.wrap(na, nb, c);
    }

    private MicroKernel microKernel() {
        return kernel.packedKernel();
    }

    /** One slice's running sum: panels are added in row order. */
    private interface SliceSum {
        void add(int firstRow, int rowCount);

        PackedProduct sum();
    }

    /**
     * The slices' sums added in slice order as each completes, with at most {@code threads} slices in flight:
     * a slice's d x d accumulator is dropped once added, so at d_model 4096 the heap holds threads + 1 of
     * them (134 MB each) instead of all eight.
     */
    private double[] sumOverSlices(int rows, Supplier<SliceSum> newSlice) {
        int panels = (rows + PANEL_ROWS - 1) / PANEL_ROWS;
        int slices = Math.max(1, Math.min(SLICES, panels));
        int parallel = Math.min(threads, slices);
        ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "spectral-products");
            t.setDaemon(true);
            return t;
        });
        PackedProduct total = null;
        try {
            List<Future<PackedProduct>> futures = new ArrayList<>();
            int submitted = 0;
            for (; submitted < parallel; submitted++) {
                futures.add(pool.submit(slice(submitted, slices, panels, rows, newSlice)));
            }
            for (int s = 0; s < slices; s++) {
                PackedProduct part = futures.get(s).get();
                futures.set(s, null);
                if (submitted < slices) {
                    futures.add(pool.submit(slice(submitted++, slices, panels, rows, newSlice)));
                }
                if (total == null) {
                    total = part;
                } else {
                    total.addAll(part);
                }
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
        return total.toRowMajor();
    }

    private static Callable<PackedProduct> slice(int slice, int slices, int panels, int rows, Supplier<SliceSum> newSlice) {
        return () -> {
            SliceSum sum = newSlice.get();
            int p0 = (int) ((long) panels * slice / slices);
            int p1 = (int) ((long) panels * (slice + 1) / slices);
            for (int p = p0; p < p1; p++) {
                int first = p * PANEL_ROWS;
                sum.add(first, Math.min(PANEL_ROWS, rows - first));
            }
            return sum.sum();
        };
    }
}

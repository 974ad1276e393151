package io.github.spectralcircuits.linalg;

import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;

/**
 * C = A B and C = A^T B for the d x d x (heads * d_head) products of each layer, on
 * {@link DenseKernel}'s packed micro-kernel (several times faster than EJML's multiply at these
 * sizes), with blocks of columns of C shared out over the cores. Every entry is summed over the
 * same panels of rows in the same order whatever the block or thread that computes it, so results
 * do not depend on scheduling.
 */
public final class DenseProducts {
    /**
     * Columns of C per task: a multiple of every micro-kernel's width. Each task packs all of A, so
     * fewer, wider blocks pack less (4 blocks for d = 768, two per core).
     */
    private static final int COL_BLOCK = 192;
    private final MicroKernel kernel;
    private final boolean nativeAllowed;

    /** On the given own kernel only (tests compare kernels). */
    public DenseProducts(DenseKernel kernel) {
        this(kernel, false);
    }

    private DenseProducts(DenseKernel kernel, boolean nativeAllowed) {
        if (!(kernel instanceof TiledKernel tiled)) {
            throw new IllegalArgumentException("DenseProducts needs one of DenseKernel's own kernels, not " + kernel.name());
        }
        this.kernel = tiled.packedKernel();
        this.nativeAllowed = nativeAllowed;
    }

    /** The native BLAS for the large square left operands when it is active ({@link NativeBlas}), else the best own kernel. */
    public static DenseProducts standard() {
        return new DenseProducts(DenseKernel.best(), true);
    }

    /**
     * A square left operand A (m x m) multiplied with many right operands, A B: held in native memory until
     * closed when the native BLAS takes products this large (so that a d x d factor is copied there once per
     * analysis, not once per product), else computed by {@link #mult} / {@link #multUpperTriangular}.
     *
     * @param upperTriangular A is zero below its diagonal (a Cholesky factor): the zeros are skipped
     */
    public Factor factor(DMatrixRMaj a, boolean upperTriangular) {
        if (a.numRows != a.numCols) {
            throw new IllegalArgumentException("a factor is square, not " + a.numRows + " x " + a.numCols);
        }
        int m = a.numRows;
        var blas = nativeAllowed ? NativeBlas.forWork((double) m * m * m / 8) : java.util.Optional.<NativeBlas>empty();
        if (blas.isPresent()) {
            NativeBlas.Left left = blas.get().left(a.data, m, upperTriangular);
            return new Factor() {
                @Override
                public DMatrixRMaj times(DMatrixRMaj b) {
                    checkRows(m, b);
                    return DMatrixRMaj.wrap(m, b.numCols, left.times(b.data, b.numCols));
                }

                @Override
                public void close() {
                    left.close();
                }
            };
        }
        return new Factor() {
            @Override
            public DMatrixRMaj times(DMatrixRMaj b) {
                checkRows(m, b);
                return upperTriangular ? multUpperTriangular(a, b) : mult(a, b);
            }

            @Override
            public void close() {
            }
        };
    }

    /** diag(s) as a left operand: A B scales row i of B by s[i] (no product is taken). */
    public static Factor diagonal(double[] s) {
        double[] d = s.clone();
        return new Factor() {
            @Override
            public DMatrixRMaj times(DMatrixRMaj b) {
                checkRows(d.length, b);
                int n = b.numCols;
                double[] out = new double[b.data.length];
                for (int i = 0; i < d.length; i++) {
                    double g = d[i];
                    int row = i * n;
                    for (int j = row; j < row + n; j++) {
                        out[j] = g * b.data[j];
                    }
                }
                return DMatrixRMaj.wrap(d.length, n, out);
            }

            @Override
            public void close() {
            }
        };
    }

    private static void checkRows(int m, DMatrixRMaj b) {
        if (b.numRows != m) {
            throw new IllegalArgumentException("A B needs B with " + m + " rows, not " + b.numRows);
        }
    }

    /** A left operand of many products ({@link #factor}); closing it frees its native copy, if any. */
    public interface Factor extends AutoCloseable {
        DMatrixRMaj times(DMatrixRMaj b);

        @Override
        void close();
    }

    /** A^T B. */
    public DMatrixRMaj multTransA(DMatrixRMaj a, DMatrixRMaj b) {
        return multTransA(a, false, b, false);
    }

    /** A B (A's panels are packed straight from its rows, as A^T's would be: no transpose is formed). */
    public DMatrixRMaj mult(DMatrixRMaj a, DMatrixRMaj b) {
        return multTransA(a, true, b, false);
    }

    /** U B for an upper-triangular U (a Cholesky factor): the zeros below U's diagonal are skipped. */
    public DMatrixRMaj multUpperTriangular(DMatrixRMaj u, DMatrixRMaj b) {
        return multTransA(u, true, b, true);
    }

    /**
     * A[:, aFrom .. aFrom + na)^T B[:, bFrom .. bFrom + nb) (na x nb) from column blocks of two
     * row-major matrices with equal row counts, without copying the blocks out: on the calling
     * thread (the callers run one block pair per task), summed panel by panel in row order, so the
     * result does not depend on which thread computes it.
     */
    public DMatrixRMaj multTransABlocks(DMatrixRMaj a, int aFrom, int na, DMatrixRMaj b, int bFrom, int nb) {
        if (a.numRows != b.numRows) {
            throw new IllegalArgumentException("A^T B needs equal row counts: " + a.numRows + " vs " + b.numRows);
        }
        if (aFrom < 0 || na < 0 || aFrom + na > a.numCols || bFrom < 0 || nb < 0 || bFrom + nb > b.numCols) {
            throw new IllegalArgumentException("column blocks [" + aFrom + ", " + (aFrom + na) + ") of " + a.numCols
                    + " and [" + bFrom + ", " + (bFrom + nb) + ") of " + b.numCols + " do not fit");
        }
        int p = a.numRows;
        int panel = Math.max(1, Math.min(p, TiledKernel.PANEL_ROWS));
        PackedProduct sum = new PackedProduct(kernel, na, nb, false, panel);
        for (int r0 = 0; r0 < p; r0 += panel) {
            sum.add(a.data, a.numCols, aFrom, b.data, b.numCols, bFrom, r0, Math.min(panel, p - r0), false);
        }
        return DMatrixRMaj.wrap(na, nb, sum.toRowMajor());
    }

    /**
     * X^T B, X being a when not transposed and a^T when transposed; with aLower, X is zero above its
     * diagonal.
     */
    private DMatrixRMaj multTransA(DMatrixRMaj a, boolean transposed, DMatrixRMaj b, boolean aLower) {
        int p = transposed ? a.numCols : a.numRows;
        int m = transposed ? a.numRows : a.numCols;
        if (p != b.numRows) {
            throw new IllegalArgumentException("A^T B needs equal row counts: " + p + " vs " + b.numRows);
        }
        int n = b.numCols;
        DMatrixRMaj c = new DMatrixRMaj(m, n);
        int blocks = (n + COL_BLOCK - 1) / COL_BLOCK;
        IntStream range = IntStream.range(0, blocks);
        if ((long) m * n * p > 1_000_000L) {
            range = range.parallel();
        }
        int panel = Math.min(p, TiledKernel.PANEL_ROWS);
        int panels = panel == 0 ? 0 : (p + panel - 1) / panel;
        // A is packed once and shared (read only) by all the column blocks.
        double[][] packedA = new double[panels][];
        IntStream.range(0, panels).parallel().forEach(q -> packedA[q] = transposed
                ? PackedProduct.packATransposed(kernel, a.data, p, m, q * panel, Math.min(panel, p - q * panel))
                : PackedProduct.packA(kernel, a.data, m, 0, m, q * panel, Math.min(panel, p - q * panel)));
        range.forEach(k -> {
            int j0 = k * COL_BLOCK;
            int width = Math.min(n, j0 + COL_BLOCK) - j0;
            PackedProduct sum = new PackedProduct(kernel, m, width, false, panel);
            for (int q = 0; q < panels; q++) {
                int r0 = q * panel;
                sum.addPackedA(packedA[q], 0, b.data, n, j0, r0, Math.min(panel, p - r0), aLower);
            }
            sum.addInto(c.data, n, j0);
        });
        return c;
    }
}

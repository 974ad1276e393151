package io.github.spectralcircuits.linalg;

/**
 * The innermost multiply of {@link PackedProduct}: one tile of C, {@link #rows()} x {@link #cols()},
 * from two packed slivers that are read strictly sequentially (so the loop is bound by the
 * multiply-adds, not by cache or TLB misses as it is on row-major panels with a stride of d doubles).
 */
interface MicroKernel {
    /** Rows of the tile (columns of A per sliver). */
    int rows();

    /** Columns of the tile (columns of B per sliver). */
    int cols();

    /**
     * c[cAt + t*cols + u] += sum over r < k of a[aAt + r*rows + t] * b[bAt + r*cols + u], for
     * t < rows, u < cols.
     */
    void multiply(double[] a, int aAt, double[] b, int bAt, int k, double[] c, int cAt);
}

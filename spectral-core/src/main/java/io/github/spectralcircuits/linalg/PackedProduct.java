package io.github.spectralcircuits.linalg;

/**
 * A^T B (or the upper triangle of X^T X) accumulated over panels of rows, blocked as GotoBLAS does.
 * Each panel's columns are copied into slivers ({@link MicroKernel#rows()} columns of A,
 * {@link MicroKernel#cols()} of B, zero-padded at the ragged edge) stored row after row, so the
 * micro-kernel reads both operands sequentially. A block of A slivers small enough for the L2 cache
 * is reused against every B sliver, and each B sliver (a few KB) stays in L1 while it meets every
 * A sliver of the block. C is held tile by tile (each tile contiguous, a column of tiles after another, in the order the
 * micro-kernel visits them, so the hardware prefetcher streams them in), and a whole panel of rows
 * is summed in registers before a tile of C is touched, so C's traffic is one read and write per
 * tile per panel.
 *
 * <p>The order of the sums depends only on the panels given, never on threads. Not thread-safe:
 * one instance per slice of rows.
 */
final class PackedProduct {
    /** Bytes of A slivers reused from L2 (half of this machine's 512 KB, leaving room for B and C). */
    private static final int L2_BLOCK_BYTES = Integer.getInteger("spectral.l2block", 256) * 1024;

    private final MicroKernel kernel;
    private final int mr;
    private final int nr;
    private final int na;
    private final int nb;
    private final boolean upper;
    private final int tilesI;
    private final int tilesJ;
    private final int maxRows;
    private final double[] packA;
    private final double[] packB;
    private final double[] tiles;

    /**
     * @param upper X^T X: only tiles that reach the diagonal or above are computed, and A = B (the
     *              panel is given once)
     */
    PackedProduct(MicroKernel kernel, int na, int nb, boolean upper, int maxRows) {
        if (upper && na != nb) {
            throw new IllegalArgumentException("a Gram matrix is square: " + na + " x " + nb);
        }
        this.kernel = kernel;
        this.mr = kernel.rows();
        this.nr = kernel.cols();
        this.na = na;
        this.nb = nb;
        this.upper = upper;
        this.tilesI = (na + mr - 1) / mr;
        this.tilesJ = (nb + nr - 1) / nr;
        this.maxRows = maxRows;
        this.packA = new double[tilesI * mr * maxRows];
        this.packB = new double[tilesJ * nr * maxRows];
        this.tiles = new double[tilesI * tilesJ * mr * nr];
    }

    /** Adds A^T B for the row-major panels a (p x na) and b (p x nb); for a Gram, b is ignored. */
    void add(double[] a, double[] b, int p) {
        if (p > maxRows) {
            throw new IllegalArgumentException(p + " rows in a panel of at most " + maxRows);
        }
        if (p == 0) {
            return;
        }
        pack(a, p, na, mr, packA);
        pack(upper ? a : b, p, nb, nr, packB);
        int blockTiles = Math.max(1, L2_BLOCK_BYTES / (8 * mr * p));
        int tileSize = mr * nr;
        for (int i0 = 0; i0 < tilesI; i0 += blockTiles) {
            int i1 = Math.min(tilesI, i0 + blockTiles);
            for (int j = 0; j < tilesJ; j++) {
                int iEnd = upper ? Math.min(i1, lastTileRowReaching(j) + 1) : i1;
                for (int i = i0; i < iEnd; i++) {
                    kernel.multiply(packA, i * mr * p, packB, j * nr * p, p, tiles, (j * tilesI + i) * tileSize);
                }
            }
        }
    }

    /** The last tile row whose tile in tile column j holds an entry on or above the diagonal. */
    private int lastTileRowReaching(int j) {
        int lastCol = Math.min(nb, (j + 1) * nr) - 1;
        return lastCol / mr;
    }

    /** dst[s*w*p + r*w + t] = src[r*n + s*w + t], zero beyond column n. */
    static void pack(double[] src, int p, int n, int w, double[] dst) {
        int full = n / w;
        int sliver = w * p;
        for (int r = 0; r < p; r++) {
            int from = r * n;
            int to = r * w;
            for (int s = 0; s < full; s++, from += w, to += sliver) {
                for (int t = 0; t < w; t++) {
                    dst[to + t] = src[from + t];
                }
            }
            int rest = n - full * w;
            if (rest > 0) {
                for (int t = 0; t < w; t++) {
                    dst[to + t] = t < rest ? src[from + t] : 0.0;
                }
            }
        }
    }

    /** Adds another accumulator's sums to this one's (same kernel and shape). */
    void addAll(PackedProduct other) {
        double[] o = other.tiles;
        for (int k = 0; k < tiles.length; k++) {
            tiles[k] += o[k];
        }
    }

    /** The sums as a row-major na x nb array; for a Gram, the full symmetric matrix. */
    double[] toRowMajor() {
        double[] c = new double[na * nb];
        int tileSize = mr * nr;
        for (int i = 0; i < na; i++) {
            int ti = i / mr;
            int t = i - ti * mr;
            for (int j = upper ? i : 0; j < nb; j++) {
                int tj = j / nr;
                c[i * nb + j] = tiles[(tj * tilesI + ti) * tileSize + t * nr + (j - tj * nr)];
            }
        }
        if (upper) {
            for (int i = 0; i < na; i++) {
                for (int j = 0; j < i; j++) {
                    c[i * nb + j] = c[j * nb + i];
                }
            }
        }
        return c;
    }
}

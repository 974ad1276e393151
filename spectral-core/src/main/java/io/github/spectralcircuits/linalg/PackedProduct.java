package io.github.spectralcircuits.linalg;

/**
 * A^T B (or the upper triangle of X^T X) accumulated over panels of rows, blocked as GotoBLAS does.
 * Each panel's columns are copied into slivers ({@link MicroKernel#rows()} columns of A,
 * {@link MicroKernel#cols()} of B, zero-padded at the ragged edge) stored row after row, so the
 * micro-kernel reads both operands sequentially instead of striding d doubles per row (a new page
 * every row at d = 768). A block of A slivers small enough for the L2 cache is reused against every
 * B sliver, and each B sliver (16 KB for 256 rows) stays in L1 while it meets every A sliver of the
 * block.
 * C is held tile by tile, each tile contiguous and the tiles in the order the micro-kernel visits
 * them, and a whole panel is summed in registers before its tile of C is touched.
 *
 * <p>Each entry of C is summed panel by panel in the order the panels are given (within a panel, in
 * row order), whatever the thread, so results depend only on the panel boundaries. Not thread-safe:
 * one instance per slice of rows or block of columns.
 */
final class PackedProduct {
    /**
     * Bytes of A slivers reused from L2: a quarter of this machine's 512 KB, as B, C and the packing
     * share it (64 KB to all of A measured within 10% of each other on the reference Gram, 128 KB best).
     */
    private static final int L2_BLOCK_BYTES = 128 * 1024;

    private final MicroKernel kernel;
    private final int mr;
    private final int nr;
    private final int na;
    private final int nb;
    private final boolean upper;
    private final int tilesI;
    private final int tilesJ;
    private final int maxRows;
    /** Allocated on first use: not needed when A comes packed ({@link #addPackedA}). */
    private double[] packA;
    private final double[] packB;
    private final double[] tiles;

    /**
     * @param na      columns of A (rows of C)
     * @param nb      columns of B taken (columns of C)
     * @param upper   X^T X: A = B, and only tiles reaching the diagonal or above are computed
     * @param maxRows the most rows a panel will have
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
        this.packB = new double[tilesJ * nr * maxRows];
        this.tiles = new double[tilesI * tilesJ * mr * nr];
    }

    /** Adds A^T B for the row-major panels a (p x na) and b (p x nb); for a Gram, b is not read. */
    void add(double[] a, double[] b, int p) {
        add(a, na, 0, upper ? a : b, nb, 0, 0, p, false);
    }

    /**
     * Adds the terms of rows [r0, r0 + p) of columns [aFrom, aFrom + na) of A (row-major, aStride
     * columns) and of columns [bFrom, bFrom + nb) of B (row-major, bStride columns).
     *
     * @param aLower A is zero above its diagonal (a[r][i] = 0 for r < i, the transpose of a Cholesky
     *               factor): those terms are skipped
     */
    void add(double[] a, int aStride, int aFrom, double[] b, int bStride, int bFrom, int r0, int p, boolean aLower) {
        checkRows(p);
        if (packA == null) {
            packA = new double[tilesI * mr * maxRows];
        }
        pack(a, r0 * aStride + aFrom, aStride, p, na, mr, packA);
        addPackedA(packA, aFrom, b, bStride, bFrom, r0, p, aLower);
    }

    /**
     * As {@link #add(double[], int, int, double[], int, int, int, int, boolean)} with A's panel
     * already packed by {@link #packA} (several column blocks of C share one packing of A).
     */
    void addPackedA(double[] packedA, int aFrom, double[] b, int bStride, int bFrom, int r0, int p, boolean aLower) {
        checkRows(p);
        if (p == 0) {
            return;
        }
        pack(b, r0 * bStride + bFrom, bStride, p, nb, nr, packB);
        int blockTiles = Math.max(1, L2_BLOCK_BYTES / (8 * mr * p));
        int tileSize = mr * nr;
        for (int i0 = 0; i0 < tilesI; i0 += blockTiles) {
            int i1 = Math.min(tilesI, i0 + blockTiles);
            for (int j = 0; j < tilesJ; j++) {
                int iEnd = upper ? Math.min(i1, lastTileRowReaching(j) + 1) : i1;
                for (int i = i0; i < iEnd; i++) {
                    // With aLower, the rows before the tile's first column of A are zero in all its columns.
                    int skip = aLower ? Math.max(0, aFrom + i * mr - r0) : 0;
                    if (skip < p) {
                        kernel.multiply(packedA, (i * p + skip) * mr, packB, (j * p + skip) * nr, p - skip,
                                tiles, (j * tilesI + i) * tileSize);
                    }
                }
            }
        }
    }

    /** A's columns [aFrom, aFrom + na) of rows [r0, r0 + p), packed for {@link #addPackedA}. */
    static double[] packA(MicroKernel kernel, double[] a, int aStride, int aFrom, int na, int r0, int p) {
        int w = kernel.rows();
        double[] packed = new double[(na + w - 1) / w * w * p];
        pack(a, r0 * aStride + aFrom, aStride, p, na, w, packed);
        return packed;
    }

    /**
     * As {@link #packA} for the transpose of a row-major matrix x (na rows, xStride columns) without
     * forming it: the panel is rows [r0, r0 + p) of x^T, that is columns [r0, r0 + p) of x's first na
     * rows. Each row of x is read in one contiguous run, so this costs what packing x^T would, and the
     * d x d transpose (a pass over 4.7 MB at d = 768, per product) is not needed.
     */
    static double[] packATransposed(MicroKernel kernel, double[] x, int xStride, int na, int r0, int p) {
        int w = kernel.rows();
        double[] packed = new double[(na + w - 1) / w * w * p];
        for (int i = 0; i < na; i++) {
            int s = i / w;
            int t = i - s * w;
            int in = i * xStride + r0;
            int out = s * w * p + t;
            for (int r = 0; r < p; r++, out += w) {
                packed[out] = x[in + r];
            }
        }
        return packed;
    }

    private void checkRows(int p) {
        if (p < 0 || p > maxRows) {
            throw new IllegalArgumentException(p + " rows in a panel of at most " + maxRows);
        }
    }

    /** The last tile row whose tile in tile column j holds an entry on or above the diagonal. */
    private int lastTileRowReaching(int j) {
        int lastCol = Math.min(nb, (j + 1) * nr) - 1;
        return lastCol / mr;
    }

    /**
     * Packs p rows of cols columns of src (row r starts at from + r*stride) into slivers of w
     * columns: dst[s*w*p + r*w + t] = src[from + r*stride + s*w + t], zero beyond column cols.
     */
    static void pack(double[] src, int from, int stride, int p, int cols, int w, double[] dst) {
        int full = cols / w;
        // The kernels' widths written out: a third faster than the loop over t, measured (packing was
        // 12% of a Gram's time with the loop).
        switch (w) {
            case 8 -> pack8(src, from, stride, p, full, dst);
            case 6 -> pack6(src, from, stride, p, full, dst);
            default -> packAny(src, from, stride, p, full, w, dst);
        }
        int rest = cols - full * w;
        if (rest > 0) {
            for (int r = 0; r < p; r++) {
                int in = from + r * stride + full * w;
                int out = full * w * p + r * w;
                for (int t = 0; t < w; t++) {
                    dst[out + t] = t < rest ? src[in + t] : 0.0;
                }
            }
        }
    }

    private static void pack8(double[] src, int from, int stride, int p, int full, double[] dst) {
        int sliver = 8 * p;
        for (int r = 0; r < p; r++) {
            for (int s = 0, in = from + r * stride, out = r * 8; s < full; s++, in += 8, out += sliver) {
                dst[out] = src[in];
                dst[out + 1] = src[in + 1];
                dst[out + 2] = src[in + 2];
                dst[out + 3] = src[in + 3];
                dst[out + 4] = src[in + 4];
                dst[out + 5] = src[in + 5];
                dst[out + 6] = src[in + 6];
                dst[out + 7] = src[in + 7];
            }
        }
    }

    private static void pack6(double[] src, int from, int stride, int p, int full, double[] dst) {
        int sliver = 6 * p;
        for (int r = 0; r < p; r++) {
            for (int s = 0, in = from + r * stride, out = r * 6; s < full; s++, in += 6, out += sliver) {
                dst[out] = src[in];
                dst[out + 1] = src[in + 1];
                dst[out + 2] = src[in + 2];
                dst[out + 3] = src[in + 3];
                dst[out + 4] = src[in + 4];
                dst[out + 5] = src[in + 5];
            }
        }
    }

    private static void packAny(double[] src, int from, int stride, int p, int full, int w, double[] dst) {
        int sliver = w * p;
        for (int r = 0; r < p; r++) {
            for (int s = 0, in = from + r * stride, out = r * w; s < full; s++, in += w, out += sliver) {
                for (int t = 0; t < w; t++) {
                    dst[out + t] = src[in + t];
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

    /**
     * Adds the sums to c: entry (i, j) to c[cFrom + i*cStride + j]; for a Gram only the entries with
     * j >= i.
     */
    void addInto(double[] c, int cStride, int cFrom) {
        int tileSize = mr * nr;
        // Along C's rows (row-major C is written a row segment at a time, not a page per row).
        for (int ti = 0; ti < tilesI; ti++) {
            int i0 = ti * mr;
            int tEnd = Math.min(mr, na - i0);
            for (int t = 0; t < tEnd; t++) {
                int i = i0 + t;
                int row = cFrom + i * cStride;
                for (int tj = upper ? i / nr : 0; tj < tilesJ; tj++) {
                    int j0 = tj * nr;
                    int uEnd = Math.min(nr, nb - j0);
                    int at = (tj * tilesI + ti) * tileSize + t * nr;
                    // For a Gram, only the entries on or above the diagonal: j0 + u >= i.
                    for (int u = upper ? Math.max(0, i - j0) : 0; u < uEnd; u++) {
                        c[row + j0 + u] += tiles[at + u];
                    }
                }
            }
        }
    }

    /** The sums as a row-major na x nb array; for a Gram, the full symmetric matrix. */
    double[] toRowMajor() {
        double[] c = new double[na * nb];
        addInto(c, nb, 0);
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

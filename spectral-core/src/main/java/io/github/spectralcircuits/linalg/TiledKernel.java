package io.github.spectralcircuits.linalg;

/**
 * The blocking shared by the kernels: C is covered by tiles of 4 rows by {@link #tileWidth()}
 * columns, each computed by the subclass's register-tiled {@link #tile}; the ragged right and
 * bottom edges fall back to plain dot products.
 */
abstract class TiledKernel implements DenseKernel {

    /** Columns of C per tile. */
    abstract int tileWidth();

    /** The micro-kernel on packed slivers that {@link TallProducts} accumulates its panels with. */
    abstract MicroKernel packedKernel();

    /** c[i..i+3][j..j+w-1] += sum over r in [r0, p) of a[r][i..i+3]^T b[r][j..j+w-1]. */
    abstract void tile(double[] a, double[] b, int r0, int p, int na, int nb, double[] c, int i, int j);

    @Override
    public void addTransAB(double[] a, double[] b, int p, int na, int nb, double[] c, int i0, int i1, boolean aLower) {
        block(a, b, p, na, nb, c, i0, i1, false, aLower);
    }

    @Override
    public void addGramUpper(double[] x, int p, int n, double[] c) {
        block(x, x, p, n, n, c, 0, n, true, false);
    }

    /**
     * Rows of A and B are taken in chunks of ROW_CHUNK and columns of B in chunks of COL_CHUNK, so
     * the part of B a tile streams through (ROW_CHUNK x COL_CHUNK doubles, 256 KB) stays in the
     * core's L2 cache while every 4-row block of C passes over it; without this, a d x d x d product
     * streams the whole of B from memory once per 4 rows of C.
     */
    private static final int ROW_CHUNK = 128;
    private static final int COL_CHUNK = 256;

    private void block(double[] a, double[] b, int p, int na, int nb, double[] c, int i0, int i1,
                       boolean upper, boolean aLower) {
        int w = tileWidth();
        int iTiles = i0 + ((i1 - i0) / 4) * 4;
        for (int rc = 0; rc < p; rc += ROW_CHUNK) {
            int rEnd = Math.min(p, rc + ROW_CHUNK);
            for (int jc = 0; jc < nb; jc += COL_CHUNK) {
                int jEnd = Math.min(nb, jc + COL_CHUNK);
                for (int i = i0; i < iTiles; i += 4) {
                    int r0 = Math.max(rc, aLower ? i : 0);
                    if (r0 >= rEnd) {
                        continue;
                    }
                    int j = upper ? Math.max(jc, (i / w) * w) : jc;
                    for (; j + w <= jEnd; j += w) {
                        tile(a, b, r0, rEnd, na, nb, c, i, j);
                    }
                    for (; j < jEnd; j++) {
                        for (int ii = i; ii < i + 4; ii++) {
                            c[ii * nb + j] += dot(a, b, r0, rEnd, na, nb, ii, j);
                        }
                    }
                }
            }
        }
        for (int i = iTiles; i < i1; i++) {
            for (int j = upper ? i : 0; j < nb; j++) {
                c[i * nb + j] += dot(a, b, aLower ? i : 0, p, na, nb, i, j);
            }
        }
    }

    private static double dot(double[] a, double[] b, int r0, int p, int na, int nb, int i, int j) {
        double s = 0;
        for (int r = r0; r < p; r++) {
            s += a[r * na + i] * b[r * nb + j];
        }
        return s;
    }
}

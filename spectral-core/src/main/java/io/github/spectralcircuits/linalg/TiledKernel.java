package io.github.spectralcircuits.linalg;

/**
 * The blocking shared by the kernels: C is covered by tiles of 4 rows by {@link #tileWidth()}
 * columns, each computed by the subclass's register-tiled {@link #tile}; the ragged right and
 * bottom edges fall back to plain dot products.
 */
abstract class TiledKernel implements DenseKernel {

    /** Columns of C per tile. */
    abstract int tileWidth();

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

    private void block(double[] a, double[] b, int p, int na, int nb, double[] c, int i0, int i1,
                       boolean upper, boolean aLower) {
        int w = tileWidth();
        int i = i0;
        for (; i + 4 <= i1; i += 4) {
            int r0 = aLower ? i : 0;
            int j = upper ? (i / w) * w : 0;
            for (; j + w <= nb; j += w) {
                tile(a, b, r0, p, na, nb, c, i, j);
            }
            for (; j < nb; j++) {
                for (int ii = i; ii < i + 4; ii++) {
                    c[ii * nb + j] += dot(a, b, r0, p, na, nb, ii, j);
                }
            }
        }
        for (; i < i1; i++) {
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

package io.github.spectralcircuits.linalg;

import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * X with X R = B for an upper-triangular R (n x n) and B (m x n): on the native BLAS (dtrsm) when it is
 * active, else blocked by columns of X so that the bulk of the work, B[:, J] - X[:, <J] R[<J, J], runs on
 * the packed product kernel ({@link DenseProducts}), and only the small diagonal blocks by substitution.
 * Written here because EJML's triangular solvers go one right-hand side at a time through the whole of R
 * (at n = 4096 a 134 MB matrix read once per row of B).
 */
public final class TriangularSolve {
    private static final int BLOCK = 128;

    private TriangularSolve() {
    }

    public static DMatrixRMaj rightUpper(DMatrixRMaj b, DMatrixRMaj r) {
        int m = b.numRows;
        int n = b.numCols;
        if (r.numRows != n || r.numCols != n) {
            throw new IllegalArgumentException("X R = B needs R " + n + " x " + n + ", not " + r.numRows + " x " + r.numCols);
        }
        var blas = NativeBlas.forWork((double) m * n * n / 2);
        if (blas.isPresent()) {
            return DMatrixRMaj.wrap(m, n, blas.get().solveRightUpper(b.data, m, r.data, n));
        }
        return blocked(b, r, new DenseProducts(DenseKernel.best()));
    }

    /** The own kernels' path (tests compare it with the native one). */
    static DMatrixRMaj blocked(DMatrixRMaj b, DMatrixRMaj r, DenseProducts mm) {
        int m = b.numRows;
        int n = b.numCols;
        DMatrixRMaj x = new DMatrixRMaj(m, n);
        for (int j0 = 0; j0 < n; j0 += BLOCK) {
            int j1 = Math.min(n, j0 + BLOCK);
            int w = j1 - j0;
            DMatrixRMaj rhs = CommonOps_DDRM.extract(b, 0, m, j0, j1);
            if (j0 > 0) {
                DMatrixRMaj done = CommonOps_DDRM.extract(x, 0, m, 0, j0);
                DMatrixRMaj above = CommonOps_DDRM.extract(r, 0, j0, j0, j1);
                CommonOps_DDRM.subtractEquals(rhs, mm.mult(done, above));
            }
            double[] rd = r.data;
            double[] y = rhs.data;
            int c0 = j0;
            // each row of X: x R[J, J] = rhs, forward substitution along the row (rows are independent)
            IntStream.range(0, m).parallel().forEach(i -> {
                int row = i * w;
                for (int k = 0; k < w; k++) {
                    double v = y[row + k] / rd[(c0 + k) * n + c0 + k];
                    y[row + k] = v;
                    int rk = (c0 + k) * n + c0;
                    for (int j = k + 1; j < w; j++) {
                        y[row + j] -= v * rd[rk + j];
                    }
                }
            });
            CommonOps_DDRM.insert(rhs, x, 0, j0);
        }
        return x;
    }
}

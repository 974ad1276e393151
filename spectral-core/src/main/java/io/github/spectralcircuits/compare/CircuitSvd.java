package io.github.spectralcircuits.compare;

import io.github.spectralcircuits.SpectralException;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * The thin SVD of a circuit given as L R^T with d x k factors (k = d_head), without forming the d x d (let
 * alone V x V) product: L = U_L S_L V_L^T, then the k x d matrix N = S_L V_L^T R^T has N^T = U_2 S V_2^T (a
 * tall d x k SVD), so L R^T = (U_L V_2) S U_2^T. Two SVDs of d x k matrices, O(d k^2) each. The singular vectors
 * are in the basis of the factors (for a head's circuits, the orthonormal bases of W_E and W_U^T).
 *
 * @param singularValues k values, descending
 * @param left           d x k, orthonormal columns, in the order of singularValues
 * @param right          d x k, likewise
 */
record CircuitSvd(double[] singularValues, DMatrixRMaj left, DMatrixRMaj right) {

    static CircuitSvd of(DMatrixRMaj l, DMatrixRMaj r) {
        if (l.numRows != r.numRows || l.numCols != r.numCols) {
            throw new IllegalArgumentException("factors of different shapes: " + l.numRows + "x" + l.numCols
                    + " and " + r.numRows + "x" + r.numCols);
        }
        int k = l.numCols;
        Thin first = thin(l);
        // N^T = R V_L S_L (d x k)
        DMatrixRMaj vs = first.v.copy();
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                vs.set(i, j, vs.get(i, j) * first.s[j]);
            }
        }
        DMatrixRMaj nT = new DMatrixRMaj(r.numRows, k);
        CommonOps_DDRM.mult(r, vs, nT);
        Thin second = thin(nT);
        DMatrixRMaj left = new DMatrixRMaj(l.numRows, k);
        CommonOps_DDRM.mult(first.u, second.v, left);
        return new CircuitSvd(second.s, left, second.u);
    }

    /** Compact SVD of a tall m x k matrix, singular values descending: u m x k, s, v k x k. */
    private record Thin(DMatrixRMaj u, double[] s, DMatrixRMaj v) {
    }

    private static Thin thin(DMatrixRMaj a) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd =
                DecompositionFactory_DDRM.svd(a.numRows, a.numCols, true, true, true);
        if (!svd.decompose(a.copy())) {
            throw new SpectralException("The singular value decomposition of a " + a.numRows + "x" + a.numCols
                    + " head factor did not converge; check the weights for NaN or extreme values.");
        }
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj w = svd.getW(null);
        DMatrixRMaj v = svd.getV(null, false);
        SingularOps_DDRM.descendingOrder(u, false, w, v, false);
        double[] s = new double[a.numCols];
        for (int i = 0; i < s.length; i++) {
            s[i] = w.get(i, i);
        }
        return new Thin(u, s, v);
    }

    /** The first k columns of the left (or right) singular vectors. */
    static DMatrixRMaj columns(DMatrixRMaj m, int k) {
        return CommonOps_DDRM.extract(m, 0, m.numRows, 0, k);
    }
}

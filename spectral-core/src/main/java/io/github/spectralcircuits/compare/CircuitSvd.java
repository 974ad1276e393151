package io.github.spectralcircuits.compare;

import io.github.spectralcircuits.SpectralException;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * The singular values and top singular vectors of a circuit given as L R^T with d x k factors (k = d_head) and
 * their thin-QR R factors (L = Q_L R_L, R = Q_R R_R), without forming any d x d (let alone V x V) matrix and
 * without the d x k orthonormal factors themselves: the core R_L R_R^T = A S B^T (k x k) carries the singular
 * values, and its singular vectors a_i with s_i > 0 lie in the range of R_L, so the circuit's left singular
 * vectors are u_i = Q_L a_i = L R_L^+ a_i, likewise v_i = R R_R^+ b_i. Only the top few are formed (d x top),
 * and orthonormalised again (a thin QR of d x top), since an ill-conditioned R_L costs them some orthogonality.
 * O(k^3 + d k top) per circuit, on top of the R factors the spectra are made of anyway.
 *
 * @param singularValues k values, descending (those of the pipeline's singular core)
 * @param left           d x top, orthonormal columns spanning the top-j left subspace for every j <= top
 *                       whose singular values are positive
 * @param right          d x top, likewise
 */
record CircuitSvd(double[] singularValues, DMatrixRMaj left, DMatrixRMaj right) {

    static CircuitSvd of(DMatrixRMaj l, DMatrixRMaj rl, DMatrixRMaj r, DMatrixRMaj rr, int top) {
        int k = l.numCols;
        if (r.numCols != k || rl.numRows != k || rr.numRows != k || top > k) {
            throw new IllegalArgumentException("factors " + l.numRows + "x" + k + " and " + r.numRows + "x"
                    + r.numCols + " with R factors " + rl.numRows + " and " + rr.numRows + ", top " + top);
        }
        DMatrixRMaj core = new DMatrixRMaj(k, k);
        CommonOps_DDRM.multTransB(rl, rr, core);
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(k, k, true, true, false);
        if (!svd.decompose(core.copy())) {
            throw new SpectralException("The singular value decomposition of a " + k + "x" + k
                    + " circuit core did not converge; check the weights for NaN or extreme values.");
        }
        DMatrixRMaj a = svd.getU(null, false);
        DMatrixRMaj w = svd.getW(null);
        DMatrixRMaj b = svd.getV(null, false);
        SingularOps_DDRM.descendingOrder(a, false, w, b, false);
        double[] s = new double[k];
        for (int i = 0; i < k; i++) {
            s[i] = w.get(i, i);
        }
        return new CircuitSvd(s, lift(l, rl, a, top), lift(r, rr, b, top));
    }

    /** Orthonormal columns spanning F R^+ c_1 .. c_top (d x top). */
    private static DMatrixRMaj lift(DMatrixRMaj f, DMatrixRMaj rf, DMatrixRMaj c, int top) {
        int k = rf.numRows;
        DMatrixRMaj pinv = new DMatrixRMaj(k, k);
        CommonOps_DDRM.pinv(rf, pinv);
        DMatrixRMaj ct = CommonOps_DDRM.extract(c, 0, k, 0, top);
        DMatrixRMaj coeff = new DMatrixRMaj(k, top);
        CommonOps_DDRM.mult(pinv, ct, coeff);
        DMatrixRMaj u = new DMatrixRMaj(f.numRows, top);
        CommonOps_DDRM.mult(f, coeff, u);
        if (top == 0) {
            return u;
        }
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(f.numRows, top);
        if (!qr.decompose(u.copy())) {
            throw new SpectralException("The QR factorisation of a " + f.numRows + "x" + top
                    + " block of singular vectors failed; check the weights for NaN or extreme values.");
        }
        return qr.getQ(null, true);
    }

    /** The first k columns of the left (or right) singular vectors. */
    static DMatrixRMaj columns(DMatrixRMaj m, int k) {
        return CommonOps_DDRM.extract(m, 0, m.numRows, 0, k);
    }
}

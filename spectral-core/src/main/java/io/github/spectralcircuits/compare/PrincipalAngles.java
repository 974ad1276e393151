package io.github.spectralcircuits.compare;

import io.github.spectralcircuits.spectra.Decompositions;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Principal angles between span(Q_a a) and span(Q_b b), a and b with k orthonormal columns in the coordinates
 * of two orthonormal bases Q_a and Q_b (for circuits: of the two models' embeddings), given cross = Q_a^T Q_b;
 * never with the V-dimensional vectors themselves. The cosines are the singular values of M = a^T cross b.
 * When both bases are the same (cross is null), the sines are taken too, as the singular values of b - a M,
 * the part of b outside span(a) (Knyazev and Argentati 2002): small angles are then accurate to rounding, where a
 * cosine near 1 only gives them to about 1e-8 radians; otherwise an angle is acos of its cosine.
 */
final class PrincipalAngles {
    private PrincipalAngles() {
    }

    /** The k angles in degrees, ascending. */
    static double[] degrees(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj cross) {
        int k = a.numCols;
        if (b.numCols != k) {
            throw new IllegalArgumentException("subspaces of dimensions " + k + " and " + b.numCols);
        }
        if (k == 0) {
            return new double[0];
        }
        DMatrixRMaj tb = b;
        if (cross != null) {
            tb = new DMatrixRMaj(cross.numRows, k);
            CommonOps_DDRM.mult(cross, b, tb);
        }
        DMatrixRMaj m = new DMatrixRMaj(k, k);
        CommonOps_DDRM.multTransA(a, tb, m);
        double[] cos = Decompositions.singularValues(m, "subspace product"); // descending: the smallest angle first
        double[] out = new double[k];
        if (cross == null) {
            DMatrixRMaj am = new DMatrixRMaj(a.numRows, k);
            CommonOps_DDRM.mult(a, m, am);
            DMatrixRMaj rest = new DMatrixRMaj(b.numRows, k);
            CommonOps_DDRM.subtract(b, am, rest);
            double[] sin = Decompositions.singularValues(rest, "subspace product");
            Arrays.sort(sin); // ascending: paired with the largest cosine
            for (int i = 0; i < k; i++) {
                out[i] = Math.toDegrees(Math.atan2(Math.min(1, sin[i]), Math.min(1, cos[i])));
            }
        } else {
            for (int i = 0; i < k; i++) {
                out[i] = Math.toDegrees(Math.acos(Math.min(1, cos[i])));
            }
        }
        Arrays.sort(out);
        return out;
    }
}

package io.github.spectralcircuits.spectra;

import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.linalg.HessenbergQr;
import java.util.Arrays;
import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/** Eigenvalues and singular values of a dense matrix (EJML), as the spectra need them. */
public final class Decompositions {
    private Decompositions() {
    }

    /** All eigenvalues of a square matrix, in the report's order. */
    public static Eigenvalues eigenvalues(DMatrixRMaj m) {
        int n = m.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false);
        if (!eig.decompose(m.copy())) {
            throw new SpectralException("The eigendecomposition of a " + n + "x" + n
                    + " circuit matrix did not converge; check the weights for NaN or extreme values.");
        }
        double[] re = new double[n];
        double[] im = new double[n];
        for (int i = 0; i < eig.getNumberOfEigenvalues(); i++) {
            Complex_F64 c = eig.getEigenvalue(i);
            re[i] = c.real;
            im[i] = c.imaginary;
        }
        return EigenvalueOrder.sorted(re, im);
    }

    /**
     * All eigenvalues of a small square core, in the report's order: by {@link HessenbergQr}, several
     * times faster than EJML at d_head sizes; EJML (and its error) only if those iterations do not converge.
     */
    public static Eigenvalues coreEigenvalues(DMatrixRMaj m) {
        if (m.numRows != m.numCols) {
            throw new IllegalArgumentException("eigenvalues of a non-square " + m.numRows + "x" + m.numCols + " matrix");
        }
        double[][] eig = HessenbergQr.eigenvalues(m.data, m.numRows);
        return eig == null ? eigenvalues(m) : EigenvalueOrder.sorted(eig[0], eig[1]);
    }

    /** All min(rows, cols) singular values, descending. */
    public static double[] singularValues(DMatrixRMaj m) {
        return singularValues(m, "circuit matrix");
    }

    /** All min(rows, cols) singular values, descending; what names the matrix in the error if EJML fails. */
    public static double[] singularValues(DMatrixRMaj m, String what) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd =
                DecompositionFactory_DDRM.svd(m.numRows, m.numCols, false, false, true);
        if (!svd.decompose(m.copy())) {
            throw new SpectralException("The singular value decomposition of a " + m.numRows + "x" + m.numCols
                    + " " + what + " did not converge; check the weights for NaN or extreme values.");
        }
        double[] s = Arrays.copyOf(svd.getSingularValues(), svd.numberOfSingularValues());
        Arrays.sort(s);
        for (int i = 0, j = s.length - 1; i < j; i++, j--) {
            double t = s[i];
            s[i] = s[j];
            s[j] = t;
        }
        return s;
    }
}

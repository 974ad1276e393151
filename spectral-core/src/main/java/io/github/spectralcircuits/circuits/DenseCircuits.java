package io.github.spectralcircuits.circuits;

import io.github.spectralcircuits.ParameterNames;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.linalg.RowMatrix;
import io.github.spectralcircuits.model.HeadWeights;
import io.github.spectralcircuits.model.LayerWeights;
import io.github.spectralcircuits.model.TransformerModel;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The full V x V circuits materialised as in the paper, for verification on small vocabularies
 * (verifyDense): QK = W_E W_Q W_K^T W_E^T and OV = W_E W_V W_O W_U. Deliberately shares no code with
 * the factored path beyond reading the weights, so that agreement between the two means something.
 */
public final class DenseCircuits {
    /** Largest vocabulary the dense path accepts: a 2048 x 2048 eigendecomposition already takes seconds. */
    public static final int MAX_VOCAB = 2048;

    private final DMatrixRMaj wE;
    private final DMatrixRMaj wU;
    private final boolean foldNorms;

    private DenseCircuits(DMatrixRMaj wE, DMatrixRMaj wU, boolean foldNorms) {
        this.wE = wE;
        this.wU = wU;
        this.foldNorms = foldNorms;
    }

    public static DenseCircuits of(TransformerModel model, boolean foldNorms) {
        int vocab = model.info().vocabSize();
        if (model.embedding().rows() > MAX_VOCAB || vocab > MAX_VOCAB) {
            throw new SpectralException("verifyDense materialises every circuit as a vocabulary x vocabulary matrix, "
                    + "which is only practical up to " + MAX_VOCAB + " tokens, but " + model.info().path()
                    + " has a vocabulary of " + Math.max(vocab, model.embedding().rows())
                    + "; switch verifyDense off (" + ParameterNames.ref("verifyDense", false) + "): the factored method is exact without it.");
        }
        DMatrixRMaj e = read(model.embedding());
        DMatrixRMaj uT = read(model.unembeddingTransposed());
        DMatrixRMaj u = CommonOps_DDRM.transpose(uT, null);
        if (foldNorms) {
            double[] g = model.finalNormGain();
            for (int i = 0; i < u.numRows; i++) {
                for (int j = 0; j < u.numCols; j++) {
                    u.set(i, j, g[i] * u.get(i, j));
                }
            }
        }
        return new DenseCircuits(e, u, foldNorms);
    }

    private static DMatrixRMaj read(RowMatrix m) {
        double[] data = new double[m.rows() * m.cols()];
        m.readRows(0, m.rows(), data);
        return new DMatrixRMaj(m.rows(), m.cols(), true, data);
    }

    public int vocabSize() {
        return wE.numRows;
    }

    /** QK [V, V] of head h: entry (i, j) is query token i attending to key token j. */
    public DMatrixRMaj qk(LayerWeights layer, int h) {
        HeadWeights w = layer.head(h);
        DMatrixRMaj a = times(wE, folded(w.wQ(), layer));
        DMatrixRMaj b = times(wE, folded(w.wK(), layer));
        DMatrixRMaj m = new DMatrixRMaj(a.numRows, b.numRows);
        CommonOps_DDRM.multTransB(a, b, m);
        return m;
    }

    /** OV [V, V] of head h: entry (i, j) is how attending to token i changes the logit of token j. */
    public DMatrixRMaj ov(LayerWeights layer, int h) {
        HeadWeights w = layer.head(h);
        DMatrixRMaj a = times(wE, folded(w.wV(), layer));
        DMatrixRMaj b = times(w.wO(), wU);
        return times(a, b);
    }

    private DMatrixRMaj folded(DMatrixRMaj w, LayerWeights layer) {
        if (!foldNorms) {
            return w;
        }
        DMatrixRMaj f = w.copy();
        double[] g = layer.attnNormGain();
        for (int i = 0; i < f.numRows; i++) {
            for (int j = 0; j < f.numCols; j++) {
                f.set(i, j, g[i] * f.get(i, j));
            }
        }
        return f;
    }

    private static DMatrixRMaj times(DMatrixRMaj a, DMatrixRMaj b) {
        DMatrixRMaj c = new DMatrixRMaj(a.numRows, b.numCols);
        CommonOps_DDRM.mult(a, b, c);
        return c;
    }
}

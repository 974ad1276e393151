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

    /**
     * Folded, W_E is what the residual stream sees (the family's normalised embedding, times its scale)
     * and W_U = logitScale diag(final gain) W_U; each layer's gains are multiplied into its matrices as
     * they stand in the circuit: diag(g) W_Q diag(g_q), diag(g) W_K diag(g_k), diag(g) W_V, W_O diag(g_o).
     */
    public static DenseCircuits of(TransformerModel model, boolean foldNorms) {
        int vocab = model.info().vocabSize();
        if (model.embedding().rows() > MAX_VOCAB || vocab > MAX_VOCAB) {
            throw new SpectralException("verifyDense materialises every circuit as a vocabulary x vocabulary matrix, "
                    + "which is only practical up to " + MAX_VOCAB + " tokens, but " + model.info().path()
                    + " has a vocabulary of " + Math.max(vocab, model.embedding().rows())
                    + "; switch verifyDense off (" + ParameterNames.ref("verifyDense", false) + "): the factored method is exact without it.");
        }
        DMatrixRMaj uT = read(model.unembeddingTransposed());
        DMatrixRMaj u = CommonOps_DDRM.transpose(uT, null);
        if (!foldNorms) {
            return new DenseCircuits(read(model.embedding()), u, false);
        }
        var conventions = model.conventions();
        DMatrixRMaj e = read(conventions.embeddingOr(model.embedding()));
        CommonOps_DDRM.scale(conventions.embeddingScale(), e);
        double[] g = model.finalNormGain();
        for (int i = 0; i < u.numRows; i++) {
            for (int j = 0; j < u.numCols; j++) {
                u.set(i, j, conventions.logitScale() * g[i] * u.get(i, j));
            }
        }
        return new DenseCircuits(e, u, true);
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
        DMatrixRMaj a = times(wE, columns(folded(w.wQ(), layer), layer.queryNormGain(), h));
        DMatrixRMaj b = times(wE, columns(folded(w.wK(), layer), layer.keyNormGain(), w.kvHead()));
        DMatrixRMaj m = new DMatrixRMaj(a.numRows, b.numRows);
        CommonOps_DDRM.multTransB(a, b, m);
        return m;
    }

    /** OV [V, V] of head h: entry (i, j) is how attending to token i changes the logit of token j. */
    public DMatrixRMaj ov(LayerWeights layer, int h) {
        HeadWeights w = layer.head(h);
        DMatrixRMaj a = times(wE, folded(w.wV(), layer));
        DMatrixRMaj o = w.wO().copy();
        double[] g = layer.outputNormGain();
        if (foldNorms && g != null) {
            for (int i = 0; i < o.numRows; i++) {
                for (int j = 0; j < o.numCols; j++) {
                    o.set(i, j, o.get(i, j) * g[j]);
                }
            }
        }
        DMatrixRMaj b = times(o, wU);
        return times(a, b);
    }

    /** diag(g) W for the norm before attention (none: W). */
    private DMatrixRMaj folded(DMatrixRMaj w, LayerWeights layer) {
        double[] g = layer.attnNormGain();
        if (!foldNorms || g == null) {
            return w;
        }
        DMatrixRMaj f = w.copy();
        for (int i = 0; i < f.numRows; i++) {
            for (int j = 0; j < f.numCols; j++) {
                f.set(i, j, g[i] * f.get(i, j));
            }
        }
        return f;
    }

    /** W diag(gain of head h's dh columns), gain covering all heads side by side (none: W). */
    private DMatrixRMaj columns(DMatrixRMaj w, double[] gain, int head) {
        if (!foldNorms || gain == null) {
            return w;
        }
        DMatrixRMaj f = w.copy();
        int dh = f.numCols;
        for (int i = 0; i < f.numRows; i++) {
            for (int j = 0; j < dh; j++) {
                f.set(i, j, f.get(i, j) * gain[head * dh + j]);
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

package io.github.spectralcircuits.model;

import io.github.spectralcircuits.linalg.ArrayRowMatrix;
import io.github.spectralcircuits.linalg.RowMatrix;
import org.ejml.data.DMatrixRMaj;

/**
 * A layer's attention weights as {@link LayerWeights} has them, but as row views that need not be in memory:
 * the random control's projections are generated a row at a time ({@code ControlModel.layerRows}), so that
 * what multiplies them can take them straight into its own buffers, scaled, without a d x (H d_head) array
 * per projection and layer. Gains as in LayerWeights, each null for none.
 */
public record LayerRows(int layer, int nHeads, int nKvHeads, int dHead, double[] attnNormGain,
                        RowMatrix wQ, RowMatrix wK, RowMatrix wV, RowMatrix wO,
                        double[] queryNormGain, double[] keyNormGain, double[] outputNormGain) {

    public LayerRows {
        int d = wQ.rows();
        if (wK.rows() != d || wV.rows() != d || wO.cols() != d || wQ.cols() != nHeads * dHead || wO.rows() != nHeads * dHead
                || wK.cols() != nKvHeads * dHead || wV.cols() != nKvHeads * dHead) {
            throw new IllegalArgumentException("layer " + layer + ": projections " + wQ.rows() + "x" + wQ.cols() + ", "
                    + wK.rows() + "x" + wK.cols() + ", " + wV.rows() + "x" + wV.cols() + ", " + wO.rows() + "x" + wO.cols()
                    + " for " + nHeads + " heads, " + nKvHeads + " key/value heads of " + dHead);
        }
    }

    /** The arrays of w as row views. */
    public static LayerRows of(LayerWeights w) {
        return new LayerRows(w.layer(), w.nHeads(), w.nKvHeads(), w.dHead(), w.attnNormGain(), rows(w.wQ()), rows(w.wK()),
                rows(w.wV()), rows(w.wO()), w.queryNormGain(), w.keyNormGain(), w.outputNormGain());
    }

    private static RowMatrix rows(DMatrixRMaj m) {
        return new ArrayRowMatrix(m.numRows, m.numCols, m.data);
    }

    public int dModel() {
        return wQ.rows();
    }
}

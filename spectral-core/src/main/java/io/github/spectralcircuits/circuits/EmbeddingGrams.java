package io.github.spectralcircuits.circuits;

import io.github.spectralcircuits.linalg.RowMatrix;
import io.github.spectralcircuits.linalg.TallProducts;
import io.github.spectralcircuits.model.TransformerModel;
import java.util.Optional;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The d x d products of a model's embedding and unembedding that every head shares, before any norm
 * gain is folded in, so that the same products serve both the folded and the raw analysis:
 * G_E = W_E^T W_E and its factor, and when the unembedding is not tied, G_U = W_U W_U^T, its factor
 * and W_U W_E. With a tied unembedding W_U = W_E^T, so G_U and W_U W_E are both G_E and are not read again.
 * A model that gives its embedding Gram itself ({@link TransformerModel#embeddingGram()}, the random
 * control of a large vocabulary) is not read at all: the products are blocks of that Gram.
 */
public record EmbeddingGrams(int dModel, boolean tied, DMatrixRMaj gramE, GramFactor factorE,
                             DMatrixRMaj gramU, GramFactor factorU, DMatrixRMaj crossUE) {

    public static EmbeddingGrams compute(TransformerModel model) {
        return compute(model, TallProducts.standard());
    }

    /** Of the stored W_E, whether norms are folded or not: the model's conventions do not replace it. */
    public static EmbeddingGrams compute(TransformerModel model, TallProducts products) {
        return compute(model, false, products);
    }

    /**
     * With {@code folded}, of the W_E the residual stream sees when the family's conventions replace the
     * stored one (BLOOM's normalised embedding): W_U, the stored embedding when tied, is then no longer
     * W_E^T, and the three products are taken as for an untied model.
     */
    public static EmbeddingGrams compute(TransformerModel model, boolean folded) {
        return compute(model, folded, TallProducts.standard());
    }

    private static EmbeddingGrams compute(TransformerModel model, boolean folded, TallProducts products) {
        RowMatrix normalised = folded ? model.conventions().normalisedEmbedding() : null;
        RowMatrix e = normalised == null ? model.embedding() : normalised;
        RowMatrix u = model.unembeddingTransposed();
        boolean tied = u == e || (normalised == null && model.info().tiedEmbeddings());
        var given = normalised == null ? model.embeddingGram() : Optional.<DMatrixRMaj>empty();
        if (given.isPresent()) {
            return fromJointGram(given.get(), e.cols(), tied);
        }
        if (tied) {
            DMatrixRMaj g = products.gram(e);
            GramFactor f = GramFactor.of(g);
            return new EmbeddingGrams(e.cols(), true, g, f, g, f, g);
        }
        // W_U^T is stored [V, d] like W_E: U^T U = W_U W_U^T and U^T W_E = W_U W_E.
        DMatrixRMaj gE = products.gram(e);
        DMatrixRMaj gU = products.gram(u);
        return new EmbeddingGrams(e.cols(), false, gE, GramFactor.of(gE), gU, GramFactor.of(gU), products.crossProduct(u, e));
    }

    /**
     * From X^T X with X = W_E (tied) or X = [W_E | W_U^T] (untied): G_E is the top-left d x d block,
     * G_U = W_U W_U^T the bottom-right one and W_U W_E = (W_U^T)^T W_E the bottom-left one.
     */
    static EmbeddingGrams fromJointGram(DMatrixRMaj joint, int d, boolean tied) {
        int p = tied ? d : 2 * d;
        if (joint.numRows != p || joint.numCols != p) {
            throw new IllegalStateException("a " + (tied ? "tied" : "untied") + " model with d_model " + d
                    + " must give a " + p + " x " + p + " embedding Gram, not " + joint.numRows + " x " + joint.numCols);
        }
        if (tied) {
            GramFactor f = GramFactor.of(joint);
            return new EmbeddingGrams(d, true, joint, f, joint, f, joint);
        }
        DMatrixRMaj gE = CommonOps_DDRM.extract(joint, 0, d, 0, d);
        DMatrixRMaj gU = CommonOps_DDRM.extract(joint, d, p, d, p);
        DMatrixRMaj c = CommonOps_DDRM.extract(joint, d, p, 0, d);
        return new EmbeddingGrams(d, false, gE, GramFactor.of(gE), gU, GramFactor.of(gU), c);
    }
}

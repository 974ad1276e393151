package io.github.spectralcircuits.circuits;

import io.github.spectralcircuits.linalg.RowMatrix;
import io.github.spectralcircuits.linalg.TallProducts;
import io.github.spectralcircuits.model.TransformerModel;
import org.ejml.data.DMatrixRMaj;

/**
 * The d x d products of a model's embedding and unembedding that every head shares, before any norm
 * gain is folded in, so that the same products serve both the folded and the raw analysis:
 * G_E = W_E^T W_E and its factor, and when the unembedding is not tied, G_U = W_U W_U^T, its factor
 * and W_U W_E. With a tied unembedding W_U = W_E^T, so G_U and W_U W_E are both G_E and are not read again.
 */
public record EmbeddingGrams(int dModel, boolean tied, DMatrixRMaj gramE, GramFactor factorE,
                             DMatrixRMaj gramU, GramFactor factorU, DMatrixRMaj crossUE) {

    public static EmbeddingGrams compute(TransformerModel model) {
        return compute(model, TallProducts.standard());
    }

    public static EmbeddingGrams compute(TransformerModel model, TallProducts products) {
        RowMatrix e = model.embedding();
        RowMatrix u = model.unembeddingTransposed();
        boolean tied = u == e || model.info().tiedEmbeddings();
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
}

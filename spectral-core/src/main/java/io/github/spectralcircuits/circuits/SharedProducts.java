package io.github.spectralcircuits.circuits;

import org.ejml.data.DMatrixRMaj;

/**
 * What every head of a model needs, with the final norm's gain folded in or not:
 * F_E (F_E^T F_E = W_E^T W_E), F_U (F_U^T F_U = W_U W_U^T) and C = W_U W_E, all d x d.
 *
 * <p>Folding the final gain g scales the rows of W_U: W_U' = diag(g) W_U, so
 * W_U' W_U'^T = diag(g) (W_U W_U^T) diag(g), whose factor is F_U diag(g), and W_U' W_E = diag(g) W_U W_E.
 * Hence the folded analysis needs no pass over the vocabulary of its own. When tied, W_U = diag(g) W_E^T,
 * so F_U = F_E diag(g) and C = F_U^T F_E: every product with C can be had from products with the factors.
 */
public record SharedProducts(int dModel, boolean tied, DMatrixRMaj factorE, DMatrixRMaj factorU, DMatrixRMaj cross,
                             boolean factorEUpper, boolean factorUUpper) {

    /** finalGain null: raw weights (foldNorms=false). */
    public static SharedProducts of(EmbeddingGrams grams, double[] finalGain) {
        int d = grams.dModel();
        DMatrixRMaj fE = grams.factorE().factor();
        DMatrixRMaj fU = grams.factorU().factor().copy();
        DMatrixRMaj c = grams.crossUE().copy();
        if (finalGain != null) {
            if (finalGain.length != d) {
                throw new IllegalArgumentException("final norm gain has " + finalGain.length + " entries, d_model is " + d);
            }
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    fU.set(i, j, fU.get(i, j) * finalGain[j]);
                    c.set(i, j, c.get(i, j) * finalGain[i]);
                }
            }
        }
        // Column scaling keeps a Cholesky factor upper triangular, which halves the layer products.
        return new SharedProducts(d, grams.tied(), fE, fU, c,
                grams.factorE().method() == GramFactor.Method.CHOLESKY,
                grams.factorU().method() == GramFactor.Method.CHOLESKY);
    }
}

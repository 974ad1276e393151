package io.github.spectralcircuits.model.control;

import io.github.spectralcircuits.linalg.RowMatrix;

/**
 * The shape of a control's W_E or W_U^T when only its Gram matrix was drawn ({@link ControlModel}'s
 * GRAM form). It has no rows: any rows drawn now would be independent of the Gram the analysis used
 * and would silently contradict it, so reading them is an error.
 */
record GramOnlyRows(int rows, int cols, String name) implements RowMatrix {

    @Override
    public void readRows(int firstRow, int rowCount, double[] dst) {
        throw new IllegalStateException("The random control's " + name + " (" + rows + " x " + cols + ") has no rows to read: "
                + "for a vocabulary of " + ControlModel.SAMPLED_GRAM_MIN_VOCAB + " tokens or more the control draws its "
                + "embedding's singular values (or its Gram matrix from the Wishart distribution), exact in distribution "
                + "with no pass over the vocabulary, and rows drawn separately would not match them. Use TransformerModel.embeddingGram(), "
                + "as EmbeddingGrams does.");
    }
}

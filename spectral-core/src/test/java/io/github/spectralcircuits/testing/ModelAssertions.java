package io.github.spectralcircuits.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.spectralcircuits.linalg.RowMatrix;
import io.github.spectralcircuits.model.LayerWeights;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.model.TransformerModel;
import org.ejml.data.DMatrixRMaj;

/** Exact comparison of a loaded {@link TransformerModel} with the {@link FamilyLayouts.Model} it was written from. */
public final class ModelAssertions {
    private ModelAssertions() {
    }

    /** Sizes, tying, embeddings, final gain and every layer's gains and W_Q/W_K/W_V/W_O, value by value. */
    public static void assertSameWeights(FamilyLayouts.Model want, TransformerModel got) {
        ModelInfo info = got.info();
        assertEquals(want.vocab(), info.vocabSize(), "vocab");
        assertEquals(want.dModel(), info.dModel(), "d_model");
        assertEquals(want.nLayers(), info.nLayers(), "layers");
        assertEquals(want.nHeads(), info.nHeads(), "heads");
        assertEquals(want.nKvHeads(), info.nKvHeads(), "kv heads");
        assertEquals(want.dHead(), info.dHead(), "d_head");
        assertEquals(want.tied(), info.tiedEmbeddings(), "tied");
        assertArrayEquals(want.embedding(), all(got.embedding()), "embedding");
        if (want.tied()) {
            assertSame(got.embedding(), got.unembeddingTransposed(), "tied unembedding is the embedding");
        } else {
            assertArrayEquals(want.unembeddingTransposed(), all(got.unembeddingTransposed()), "unembedding");
        }
        assertArrayEquals(want.finalNormGain(), got.finalNormGain(), "final norm gain");
        int d = want.dModel();
        int q = want.nHeads() * want.dHead();
        int kv = want.nKvHeads() * want.dHead();
        for (int l = 0; l < want.nLayers(); l++) {
            FamilyLayouts.Layer w = want.layers().get(l);
            LayerWeights g = got.layer(l);
            assertEquals(l, g.layer());
            assertEquals(want.nHeads(), g.nHeads());
            assertEquals(want.nKvHeads(), g.nKvHeads());
            assertEquals(want.dHead(), g.dHead());
            assertArrayEquals(w.attnNormGain(), g.attnNormGain(), "attention norm gain, layer " + l);
            assertMatrix(w.wQ(), d, q, g.wQ(), "wQ layer " + l);
            assertMatrix(w.wK(), d, kv, g.wK(), "wK layer " + l);
            assertMatrix(w.wV(), d, kv, g.wV(), "wV layer " + l);
            assertMatrix(w.wO(), q, d, g.wO(), "wO layer " + l);
        }
    }

    /** All rows of m, row-major. */
    public static double[] all(RowMatrix m) {
        double[] v = new double[m.rows() * m.cols()];
        m.readRows(0, m.rows(), v);
        return v;
    }

    private static void assertMatrix(double[] want, int rows, int cols, DMatrixRMaj got, String what) {
        assertEquals(rows, got.numRows, what + " rows");
        assertEquals(cols, got.numCols, what + " cols");
        assertArrayEquals(want, got.data, what);
    }
}

package io.github.spectralcircuits.model.control;

import static io.github.spectralcircuits.model.control.BartlettWishartTest.mean;
import static io.github.spectralcircuits.model.control.BartlettWishartTest.variance;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.model.LayerWeights;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.model.control.ControlModel.EmbeddingDraw;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;

/** The control's two forms of embedding: which one a shape gets, and that the sampled Gram is the explicit one's law. */
class ControlEmbeddingGramTest {

    static ModelInfo shape(int v, int d, boolean tied, double r) {
        return new ModelInfo("trained", "LlamaForCausalLM", v, d, 2, 4, 4, 8, tied, "F32", r);
    }

    @Test
    void onlyLargeVocabulariesGetASampledGram() {
        assertFalse(ControlModel.samplesEmbeddingGram(shape(2048, 64, true, 0.02)));
        assertTrue(ControlModel.samplesEmbeddingGram(shape(2049, 64, true, 0.02)));
        assertTrue(ControlModel.samplesEmbeddingGram(shape(50257, 768, false, 0.02)));
        assertTrue(ControlModel.samplesEmbeddingGram(shape(4000, 2000, false, 0.02)), "V = 2d is enough");
        assertFalse(ControlModel.samplesEmbeddingGram(shape(4000, 2001, false, 0.02)), "a Wishart needs V >= 2d untied");
        assertTrue(ControlModel.samplesEmbeddingGram(shape(4000, 4000, true, 0.02)));
        assertFalse(ControlModel.samplesEmbeddingGram(shape(4000, 4001, true, 0.02)));

        // stories260k's shapes: the rows, exactly as before
        ControlModel small = ControlModel.of(shape(512, 64, true, 0.02), 42);
        assertTrue(small.embeddingGram().isEmpty());
        assertInstanceOf(GaussianRowMatrix.class, small.embedding());
        double[] row = new double[64];
        small.embedding().readRows(511, 1, row);
        assertTrue(row[0] != 0);

        assertThrows(IllegalArgumentException.class, () -> ControlModel.of(shape(100, 64, false, 0.02), 1, EmbeddingDraw.GRAM));
    }

    @Test
    void sampledFormHasTheShapesButNoRows() {
        ControlModel untied = ControlModel.of(shape(4096, 64, false, 0.02), 42);
        assertEquals(128, untied.embeddingGram().orElseThrow().numRows);
        assertEquals(128, untied.embeddingGram().orElseThrow().numCols);
        assertEquals(4096, untied.embedding().rows());
        assertEquals(64, untied.embedding().cols());
        assertEquals(4096, untied.unembeddingTransposed().rows());
        assertNotSame(untied.embedding(), untied.unembeddingTransposed());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> untied.embedding().readRows(0, 1, new double[64]));
        assertTrue(e.getMessage().contains("Wishart") && e.getMessage().contains("embeddingGram()"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> untied.unembeddingTransposed().readRows(0, 1, new double[64]));

        ControlModel tied = ControlModel.of(shape(4096, 64, true, 0.02), 42);
        assertEquals(64, tied.embeddingGram().orElseThrow().numRows);
        assertSame(tied.embedding(), tied.unembeddingTransposed());
    }

    /** (c): reproducible, seed-dependent, and the layers are the same whichever form the embedding takes. */
    @Test
    void sameSeedSameGramAnotherSeedDiffersLayersUnchanged() {
        ModelInfo info = shape(4096, 64, false, 0.02);
        double[] a = ControlModel.of(info, 42, EmbeddingDraw.GRAM).embeddingGram().orElseThrow().data;
        assertArrayEquals(a, ControlModel.of(info, 42, EmbeddingDraw.GRAM).embeddingGram().orElseThrow().data, 0.0);
        double[] b = ControlModel.of(info, 43, EmbeddingDraw.GRAM).embeddingGram().orElseThrow().data;
        for (int i = 0; i < a.length; i++) {
            assertTrue(a[i] != b[i], "entry " + i);
        }
        LayerWeights g = ControlModel.of(info, 42, EmbeddingDraw.GRAM).layer(1);
        LayerWeights r = ControlModel.of(info, 42, EmbeddingDraw.ROWS).layer(1);
        assertArrayEquals(r.wQ().data, g.wQ().data, 0.0);
        assertArrayEquals(r.wO().data, g.wO().data, 0.0);
    }

    /**
     * (d): X = [W_E | W_U^T] with independent N(0, r^2) blocks: E G_E = E G_U = V r^2 I, and the cross
     * block C = W_U W_E has E C = 0 and Var C_ij = V r^4 (a sum of V products of independent entries).
     */
    @Test
    void untiedBlocksHaveTheirMeansAndTheCrossBlockItsCovariance() {
        int v = 3000;
        int d = 3;
        double r = 0.5;
        ModelInfo info = shape(v, d, false, r);
        int draws = 3000;
        double[][] cross = new double[d * d][draws];
        double[][] diagonals = new double[2 * d][draws];
        for (int k = 0; k < draws; k++) {
            DMatrixRMaj joint = ControlModel.of(info, 10_000 + k, EmbeddingDraw.GRAM).embeddingGram().orElseThrow();
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    cross[i * d + j][k] = joint.get(d + i, j);
                }
            }
            for (int i = 0; i < 2 * d; i++) {
                diagonals[i][k] = joint.get(i, i);
            }
        }
        double varC = v * Math.pow(r, 4);
        for (int e = 0; e < d * d; e++) {
            double m = mean(cross[e]);
            assertEquals(0, m, 4 * Math.sqrt(varC / draws), "mean of C entry " + e);
            assertEquals(varC, variance(cross[e], m), 4 * varC * Math.sqrt(2.0 / draws), "variance of C entry " + e);
        }
        for (int i = 0; i < 2 * d; i++) {
            assertEquals(v * r * r, mean(diagonals[i]), 4 * Math.sqrt(2.0 * v * Math.pow(r, 4) / draws), "diagonal " + i);
        }
    }

    /**
     * The sampled W_E^T W_E against the one multiplied out from the explicitly generated rows, at a
     * vocabulary where the control switches form: the laws of its extreme eigenvalues (the
     * Marchenko-Pastur edges, where a wrong scale or wrong degrees of freedom would show) agree.
     */
    @Test
    void sampledGramHasTheLawOfTheExplicitRowsGram() {
        ModelInfo info = shape(4096, 32, true, 0.02);
        int draws = 150;
        double[][] sampled = new double[2][draws];
        double[][] explicit = new double[2][draws];
        for (int k = 0; k < draws; k++) {
            double[] s = extremes(ControlModel.of(info, 500 + k).embeddingGram().orElseThrow());
            ControlModel rows = ControlModel.of(info, 900 + k, EmbeddingDraw.ROWS);
            DMatrixRMaj x = DMatrixRMaj.wrap(4096, 32, ((GaussianRowMatrix) rows.embedding()).toArray());
            DMatrixRMaj g = new DMatrixRMaj(32, 32);
            CommonOps_DDRM.multTransA(x, x, g);
            double[] e = extremes(g);
            for (int t = 0; t < 2; t++) {
                sampled[t][k] = s[t];
                explicit[t][k] = e[t];
            }
        }
        for (int t = 0; t < 2; t++) {
            double p = new KolmogorovSmirnovTest().kolmogorovSmirnovTest(sampled[t], explicit[t]);
            assertTrue(p > 1e-3, (t == 0 ? "smallest" : "largest") + " eigenvalue: KS p-value " + p);
            double ms = mean(sampled[t]);
            double me = mean(explicit[t]);
            assertEquals(me, ms, 4 * Math.sqrt((variance(sampled[t], ms) + variance(explicit[t], me)) / draws));
        }
    }

    private static double[] extremes(DMatrixRMaj g) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(g.numRows, false, true);
        assertTrue(eig.decompose(g.copy()));
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (int i = 0; i < g.numRows; i++) {
            min = Math.min(min, eig.getEigenvalue(i).real);
            max = Math.max(max, eig.getEigenvalue(i).real);
        }
        return new double[] {min, max};
    }
}

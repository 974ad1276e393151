package io.github.spectralcircuits.circuits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.linalg.RowMatrix;
import io.github.spectralcircuits.model.LayerWeights;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.model.TransformerModel;
import io.github.spectralcircuits.model.control.ControlModel;
import io.github.spectralcircuits.spectra.SpectraAnalyzer;
import io.github.spectralcircuits.testing.InMemoryTransformer;
import io.github.spectralcircuits.testing.RandomTransformers;
import java.util.Optional;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/** EmbeddingGrams from a Gram the model gives itself, against the products of its explicit rows. */
class EmbeddingGramsJointTest {

    /** The same model, but giving X^T X (X = W_E or [W_E | W_U^T]) computed densely here. */
    private record GivesGram(TransformerModel inner, DMatrixRMaj joint) implements TransformerModel {
        @Override
        public ModelInfo info() {
            return inner.info();
        }

        @Override
        public RowMatrix embedding() {
            return inner.embedding();
        }

        @Override
        public RowMatrix unembeddingTransposed() {
            return inner.unembeddingTransposed();
        }

        @Override
        public double[] finalNormGain() {
            return inner.finalNormGain();
        }

        @Override
        public LayerWeights layer(int l) {
            return inner.layer(l);
        }

        @Override
        public Optional<DMatrixRMaj> embeddingGram() {
            return Optional.of(joint);
        }
    }

    private static DMatrixRMaj rows(RowMatrix m) {
        double[] data = new double[m.rows() * m.cols()];
        m.readRows(0, m.rows(), data);
        return DMatrixRMaj.wrap(m.rows(), m.cols(), data);
    }

    private static DMatrixRMaj jointGram(InMemoryTransformer m) {
        DMatrixRMaj x = rows(m.embedding());
        if (!m.info().tiedEmbeddings()) {
            x = CommonOps_DDRM.concatColumnsMulti(x, rows(m.unembeddingTransposed()));
        }
        DMatrixRMaj g = new DMatrixRMaj(x.numCols, x.numCols);
        CommonOps_DDRM.multTransA(x, x, g);
        return g;
    }

    @Test
    void blocksOfTheGivenGramAreTheProductsOfTheRows() {
        for (boolean tied : new boolean[] {true, false}) {
            InMemoryTransformer m = RandomTransformers.random(5, 300, 16, 1, 2, 2, 8, tied);
            EmbeddingGrams read = EmbeddingGrams.compute(m);
            EmbeddingGrams given = EmbeddingGrams.compute(new GivesGram(m, jointGram(m)));
            assertEquals(tied, given.tied());
            assertClose(read.gramE(), given.gramE());
            assertClose(read.gramU(), given.gramU());
            // the cross block is W_U W_E, not its transpose: an asymmetric matrix tells them apart
            assertClose(read.crossUE(), given.crossUE());
            assertClose(read.factorE().gram(), given.factorE().gram());
            assertClose(read.factorU().gram(), given.factorU().gram());
            // and the whole analysis downstream gives the same spectra
            var a = new SpectraAnalyzer(AnalysisSettings.defaults(), null).analyze(m).heads();
            var b = new SpectraAnalyzer(AnalysisSettings.defaults(), null).analyze(new GivesGram(m, jointGram(m))).heads();
            for (int h = 0; h < a.size(); h++) {
                double scale = a.get(h).ov().stats().spectralNorm();
                assertEquals(scale, b.get(h).ov().stats().spectralNorm(), 1e-10 * scale);
                assertEquals(a.get(h).ov().stats().positivity(), b.get(h).ov().stats().positivity(), 1e-10);
                assertEquals(a.get(h).qk().stats().effectiveRank(), b.get(h).qk().stats().effectiveRank(), 1e-10);
            }
        }
    }

    @Test
    void aGramOfTheWrongSizeIsRefused() {
        InMemoryTransformer untied = RandomTransformers.random(5, 300, 16, 1, 2, 2, 8, false);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> EmbeddingGrams.compute(new GivesGram(untied, new DMatrixRMaj(16, 16))));
        assertTrue(e.getMessage().contains("32 x 32"), e.getMessage());
    }

    /**
     * A control with a sampled Gram has no rows; the dense verification, the one other reader of rows,
     * refuses its vocabulary first with its own message.
     */
    @Test
    void denseVerificationRefusesASampledControlBeforeReadingRows() {
        assertEquals(DenseCircuits.MAX_VOCAB + 1, ControlModel.SAMPLED_GRAM_MIN_VOCAB);
        ModelInfo shape = new ModelInfo("trained", "LlamaForCausalLM", DenseCircuits.MAX_VOCAB + 1, 16, 1, 2, 2, 8,
                false, "F32", 0.02);
        ControlModel control = ControlModel.of(shape, 42);
        assertTrue(control.embeddingGram().isPresent());
        SpectralException e = assertThrows(SpectralException.class,
                () -> new SpectraAnalyzer(AnalysisSettings.defaults().withVerifyDense(true), null).analyze(control));
        assertTrue(e.getMessage().contains("only practical up to " + DenseCircuits.MAX_VOCAB), e.getMessage());
        // without it the analysis runs on the sampled Gram alone
        assertEquals(2, new SpectraAnalyzer(AnalysisSettings.defaults(), null).analyze(control).heads().size());
    }

    private static void assertClose(DMatrixRMaj expected, DMatrixRMaj actual) {
        assertEquals(expected.numRows, actual.numRows);
        assertEquals(expected.numCols, actual.numCols);
        double scale = 0;
        for (double v : expected.data) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.data.length; i++) {
            assertEquals(expected.data[i], actual.data[i], 1e-12 * scale, "entry " + i);
        }
    }
}

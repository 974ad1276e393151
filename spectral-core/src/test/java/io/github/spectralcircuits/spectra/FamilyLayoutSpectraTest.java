package io.github.spectralcircuits.spectra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ProgressListener;
import io.github.spectralcircuits.io.DType;
import io.github.spectralcircuits.model.LayerWeights;
import io.github.spectralcircuits.model.ModelLoader;
import io.github.spectralcircuits.model.TransformerModel;
import io.github.spectralcircuits.testing.FamilyLayouts;
import io.github.spectralcircuits.testing.InMemoryTransformer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The same weights written as safetensors in every family's layout (GPT-2 Conv1D, GPT-Neo, fused
 * GPT-NeoX, Llama/Mistral/Qwen2, with and without name prefixes; single files and shards; F32, F16, BF16,
 * F64) and opened through the loader give the spectra of the weights themselves, folded and raw.
 */
class FamilyLayoutSpectraTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "H={0} KV={1} dh={2} tied={3} fold={4}")
    @CsvSource({
        "4,4,2,true,true", "4,4,2,false,true", "4,4,2,false,false", // every family
        "4,2,3,false,true", "4,2,3,true,false"})                    // grouped-query, head_dim != d/H: Llama family
    void everyLayoutGivesTheSpectraOfTheSameWeights(int heads, int kv, int dh, boolean tied, boolean fold) {
        FamilyLayouts.Model m = FamilyLayouts.random(31, 24, 8, 2, heads, kv, dh, tied);
        AnalysisSettings settings = AnalysisSettings.defaults().withFoldNorms(fold);
        ModelSpectra expected = new SpectraAnalyzer(settings, ProgressListener.NONE).analyze(inMemory(m));
        List<FamilyLayouts.Layout> layouts = FamilyLayouts.layoutsFor(m);
        assertTrue(layouts.size() >= (m.isClassicMultiHead() ? 10 : 4), layouts.toString());
        for (FamilyLayouts.Layout layout : layouts) {
            Path modelDir = dir.resolve(layout.name() + "-" + heads + kv + dh + tied + fold);
            FamilyLayouts.write(layout, m).writeTo(modelDir, DType.F32, 1);
            try (TransformerModel model = ModelLoader.open(modelDir)) {
                ModelSpectra actual = new SpectraAnalyzer(settings, ProgressListener.NONE).analyze(model);
                assertSame(expected, actual, layout.toString());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"GPT_NEOX,BF16", "LLAMA,F16", "GPT2,F64"})
    void shardedHalfPrecisionCheckpointsGiveTheSpectraOfTheirRoundedWeights(FamilyLayouts.Layout layout, DType dtype) {
        FamilyLayouts.Model m = FamilyLayouts.random(32, 24, 8, 2, 4, 4, 2, false);
        AnalysisSettings settings = AnalysisSettings.defaults();
        ModelSpectra expected = new SpectraAnalyzer(settings, ProgressListener.NONE).analyze(inMemory(m.roundedTo(dtype)));
        Path modelDir = FamilyLayouts.write(layout, m).writeTo(dir.resolve(layout.name()), dtype, 3);
        try (TransformerModel model = ModelLoader.open(modelDir)) {
            assertSame(expected, new SpectraAnalyzer(settings, ProgressListener.NONE).analyze(model), layout + " " + dtype);
        }
    }

    private static void assertSame(ModelSpectra expected, ModelSpectra actual, String where) {
        assertEquals(expected.heads().size(), actual.heads().size(), where);
        for (int i = 0; i < expected.heads().size(); i++) {
            HeadSpectra e = expected.heads().get(i);
            HeadSpectra a = actual.heads().get(i);
            assertEquals(e.layer(), a.layer());
            assertEquals(e.head(), a.head());
            assertEquals(e.kvHead(), a.kvHead(), where);
            for (CircuitType type : CircuitType.values()) {
                CircuitSpectrum ce = e.circuit(type);
                CircuitSpectrum ca = a.circuit(type);
                String at = where + " layer " + e.layer() + " head " + e.head() + " " + type;
                double tol = 1e-10 * ce.stats().spectralNorm();
                assertArrayEquals(ce.eigenvalues().re(), ca.eigenvalues().re(), tol, at);
                assertArrayEquals(ce.eigenvalues().im(), ca.eigenvalues().im(), tol, at);
                assertArrayEquals(ce.singularValues(), ca.singularValues(), tol, at);
                for (String metric : io.github.spectralcircuits.spectra.CircuitStats.METRICS) {
                    assertEquals(ce.stats().metric(metric), ca.stats().metric(metric),
                            1e-9 * Math.max(1, Math.abs(ce.stats().metric(metric))), at + " " + metric);
                }
            }
        }
    }

    /** The reference: the normalised weights as they are, without any file or adapter. */
    private static InMemoryTransformer inMemory(FamilyLayouts.Model m) {
        int d = m.dModel();
        List<LayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < m.nLayers(); l++) {
            FamilyLayouts.Layer y = m.layers().get(l);
            layers.add(new LayerWeights(l, m.nHeads(), m.nKvHeads(), m.dHead(), y.attnNormGain(),
                    new DMatrixRMaj(d, m.nHeads() * m.dHead(), true, y.wQ()),
                    new DMatrixRMaj(d, m.nKvHeads() * m.dHead(), true, y.wK()),
                    new DMatrixRMaj(d, m.nKvHeads() * m.dHead(), true, y.wV()),
                    new DMatrixRMaj(m.nHeads() * m.dHead(), d, true, y.wO())));
        }
        return new InMemoryTransformer(InMemoryTransformer.info(m.vocab(), d, m.nLayers(), m.nHeads(), m.nKvHeads(),
                m.dHead(), m.tied()), m.embedding(), m.unembeddingTransposed(), m.finalNormGain(), layers);
    }
}

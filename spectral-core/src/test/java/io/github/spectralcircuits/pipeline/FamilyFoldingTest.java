package io.github.spectralcircuits.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ProgressListener;
import io.github.spectralcircuits.ReadoutSettings;
import io.github.spectralcircuits.circuits.DenseCircuits;
import io.github.spectralcircuits.compare.ChangedHead;
import io.github.spectralcircuits.compare.ReferenceComparisons;
import io.github.spectralcircuits.model.LayerWeights;
import io.github.spectralcircuits.model.ModelLoader;
import io.github.spectralcircuits.model.TransformerModel;
import io.github.spectralcircuits.readouts.TokenReadouts;
import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.spectra.HeadSpectra;
import io.github.spectralcircuits.spectra.ModelSpectra;
import io.github.spectralcircuits.spectra.SpectraAnalyzer;
import io.github.spectralcircuits.spectra.TokenScore;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The work that rides on the spectra folds what the spectra fold, in every family transformers wrote a fixture
 * of (src/test/resources/hf): query and key norms (Qwen3, OLMo2, the *_qk variants), Gemma's scaled embedding,
 * BLOOM's normalised one, Cohere's logit scale. Token readouts against the dense folded OV circuit's diagonal;
 * the reference comparison's spectral norms against the pipeline's, for the model compared with a fresh copy.
 */
class FamilyFoldingTest {
    private static final Path HF = Path.of("src/test/resources/hf");

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "gpt_neo", "gpt_neox", "gptj", "opt", "bloom", "falcon", "falcon_grouped",
            "gpt_bigcode", "llama", "mistral", "mixtral", "qwen2", "qwen3", "phi", "phi3", "gemma", "gemma2", "olmo2",
            "stablelm", "starcoder2", "cohere", "falcon_mha", "gpt_bigcode_mha", "phi_qk", "stablelm_qk", "cohere_qk"})
    void readoutsAndTheReferenceComparisonDescribeTheCircuitsTheSpectraDo(String family) {
        Path dir = HF.resolve(family).resolve("safetensors");
        AnalysisSettings settings = AnalysisSettings.defaults().withControl(false)
                .withReadouts(new ReadoutSettings("on", 5, 2, false, 100));
        try (TransformerModel model = ModelLoader.open(dir); TransformerModel copy = ModelLoader.open(dir)) {
            TokenReadouts readouts = new TokenReadouts(model, settings, null);
            ModelSpectra spectra = readouts.attach(new SpectraAnalyzer(settings, ProgressListener.NONE)
                    .analyze(model, List.of(readouts)));
            DenseCircuits dense = DenseCircuits.of(model, true);
            for (HeadSpectra h : spectra.heads()) {
                LayerWeights w = model.layer(h.layer());
                DMatrixRMaj ov = dense.ov(w, h.head());
                double[] diag = IntStream.range(0, ov.numRows).mapToDouble(i -> ov.get(i, i)).toArray();
                double scale = IntStream.range(0, diag.length).mapToDouble(i -> Math.abs(diag[i])).max().orElse(1);
                List<Integer> expected = IntStream.range(0, diag.length).boxed()
                        .sorted(Comparator.comparingDouble((Integer i) -> -diag[i])).limit(5).toList();
                List<TokenScore> got = h.ov().topCopyingTokens();
                for (int r = 0; r < got.size(); r++) {
                    String where = family + " L" + h.layer() + "H" + h.head() + " rank " + r;
                    assertEquals(diag[expected.get(r)], got.get(r).score(), 1e-9 * scale, where);
                    assertEquals(diag[got.get(r).id()], got.get(r).score(), 1e-9 * scale, where);
                }
                assertEquals(h.ov().singularValues()[0], h.ov().singularDirections().get(0).sigma(),
                        1e-9 * h.ov().singularValues()[0], family);
            }
            List<ChangedHead> changed = ReferenceComparisons.compare(model, copy, dir.toString(), settings,
                    ProgressListener.NONE).changedHeads();
            assertEquals(2 * spectra.heads().size(), changed.size());
            for (ChangedHead c : changed) {
                HeadSpectra h = spectra.heads().stream().filter(s -> s.layer() == c.layer() && s.head() == c.head())
                        .findFirst().orElseThrow();
                double norm = (c.circuit() == CircuitType.QK ? h.qk() : h.ov()).stats().spectralNorm();
                assertEquals(norm, c.spectralNorm(), 1e-9 * norm, family + " " + c);
                assertEquals(c.spectralNorm(), c.referenceSpectralNorm(), 0.0);
                assertTrue(c.score() == 0.0, family + ": a copy has not changed: " + c);
            }
        }
    }
}

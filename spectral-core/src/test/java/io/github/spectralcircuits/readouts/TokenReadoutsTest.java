package io.github.spectralcircuits.readouts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ReadoutSettings;
import io.github.spectralcircuits.circuits.DenseCircuits;
import io.github.spectralcircuits.io.TokenVocabulary;
import io.github.spectralcircuits.model.LayerWeights;
import io.github.spectralcircuits.model.ModelLoader;
import io.github.spectralcircuits.model.TransformerModel;
import io.github.spectralcircuits.spectra.CircuitSpectrum;
import io.github.spectralcircuits.spectra.HeadSpectra;
import io.github.spectralcircuits.spectra.ModelSpectra;
import io.github.spectralcircuits.spectra.SingularDirection;
import io.github.spectralcircuits.spectra.SpectraAnalyzer;
import io.github.spectralcircuits.spectra.TokenScore;
import io.github.spectralcircuits.spectra.TokenWeight;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token readouts of stories260k (V = 512) with a 512-token tokenizer.json, against the materialised
 * 512 x 512 circuits (DenseCircuits, which shares no code with the factored path): the top copying tokens
 * are the largest entries of the dense OV diagonal, and each singular direction's tokens and weights are
 * the largest components of the dense SVD's singular vectors, up to the pair's common sign.
 */
class TokenReadoutsTest {
    private static final Path MODEL = Path.of("../examples/stories260k");
    private static final Path TOKENIZERS = Path.of("src/test/resources/tokenizers");
    private static final int K = 10;
    private static final int DIRECTIONS = 3;

    @TempDir
    static Path dir;
    private static ModelSpectra spectra;
    private static JsonNode decoded;

    @BeforeAll
    static void analyse() throws IOException {
        Files.copy(MODEL.resolve("config.json"), dir.resolve("config.json"));
        Files.copy(MODEL.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        Files.copy(TOKENIZERS.resolve("bytelevel-bpe-512.json"), dir.resolve(TokenVocabulary.FILE));
        decoded = new ObjectMapper().readTree(TOKENIZERS.resolve("decoded.json").toFile()).get("bytelevel-bpe-512.json");
        AnalysisSettings settings = settings();
        try (TransformerModel model = ModelLoader.open(dir)) {
            TokenReadouts readouts = new TokenReadouts(model, settings, TokenVocabulary.find(dir).orElseThrow());
            spectra = readouts.attach(new SpectraAnalyzer(settings, null).analyze(model, List.of(readouts)));
        }
    }

    private static AnalysisSettings settings() {
        return AnalysisSettings.defaults().withControl(false)
                .withReadouts(new ReadoutSettings("on", K, DIRECTIONS, false, 100));
    }

    @Test
    void topCopyingTokensAreTheLargestEntriesOfTheDenseOvDiagonal() {
        try (TransformerModel model = ModelLoader.open(dir)) {
            DenseCircuits dense = DenseCircuits.of(model, true);
            for (int l = 0; l < model.info().nLayers(); l++) {
                LayerWeights w = model.layer(l);
                for (int h = 0; h < model.info().nHeads(); h++) {
                    DMatrixRMaj ov = dense.ov(w, h);
                    double[] diag = IntStream.range(0, ov.numRows).mapToDouble(i -> ov.get(i, i)).toArray();
                    double scale = IntStream.range(0, diag.length).mapToDouble(i -> Math.abs(diag[i])).max().orElse(1);
                    List<Integer> expected = IntStream.range(0, diag.length).boxed()
                            .sorted(Comparator.comparingDouble((Integer i) -> -diag[i]).thenComparingInt(i -> i))
                            .limit(K).toList();
                    List<TokenScore> got = head(l, h).ov().topCopyingTokens();
                    assertEquals(K, got.size());
                    for (int r = 0; r < K; r++) {
                        TokenScore t = got.get(r);
                        // the same ranks, unless two entries tie to rounding
                        if (t.id() != expected.get(r)) {
                            assertEquals(diag[expected.get(r)], diag[t.id()], 1e-12 * scale, "layer " + l + " head " + h);
                        }
                        assertEquals(diag[t.id()], t.score(), 1e-10 * scale, "layer " + l + " head " + h + " rank " + r);
                        assertTokenString(t.id(), t.token());
                    }
                }
            }
        }
    }

    @Test
    void singularDirectionsAreTheDenseSingularVectorsUpToSign() {
        try (TransformerModel model = ModelLoader.open(dir)) {
            DenseCircuits dense = DenseCircuits.of(model, true);
            int checked = 0;
            for (int l : new int[] {0, 4}) {
                LayerWeights w = model.layer(l);
                for (int h : new int[] {0, 3, 6}) {
                    checked += compare(dense.qk(w, h), head(l, h).qk(), "layer " + l + " head " + h + " QK");
                    checked += compare(dense.ov(w, h), head(l, h).ov(), "layer " + l + " head " + h + " OV");
                }
            }
            assertTrue(checked >= 30, checked + " directions compared");
        }
    }

    @Test
    void qkHasNoCopyingTokens() {
        assertNull(head(0, 0).qk().topCopyingTokens());
        assertEquals(DIRECTIONS, head(0, 0).qk().singularDirections().size());
    }

    /** The circuit's listed directions against the dense SVD; returns how many were compared. */
    private static int compare(DMatrixRMaj circuit, CircuitSpectrum factored, String where) {
        int v = circuit.numRows;
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(v, v, true, true, false);
        assertTrue(svd.decompose(circuit.copy()));
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj vt = svd.getV(null, false);
        DMatrixRMaj s = svd.getW(null);
        SingularOps_DDRM.descendingOrder(u, false, s, vt, false);
        double s1 = s.get(0, 0);
        int compared = 0;
        List<SingularDirection> dirs = factored.singularDirections();
        assertNotNull(dirs, where);
        for (int j = 0; j < dirs.size(); j++) {
            SingularDirection d = dirs.get(j);
            assertEquals(s.get(j, j), d.sigma(), 1e-9 * s1, where + " sigma " + j);
            double gap = Math.min(j == 0 ? Double.POSITIVE_INFINITY : s.get(j - 1, j - 1) - s.get(j, j),
                    s.get(j, j) - s.get(j + 1, j + 1));
            if (gap < 1e-3 * s1) {
                continue; // a near-repeated singular value has no well-defined vector
            }
            final int col = j;
            double[] left = IntStream.range(0, v).mapToDouble(i -> u.get(i, col)).toArray();
            double[] right = IntStream.range(0, v).mapToDouble(i -> vt.get(i, col)).toArray();
            // the common sign: the factored input side's first token is positive
            double sign = Math.signum(left[d.inputTokens().get(0).id()]);
            checkSide(left, sign, d.inputTokens(), where + " input " + j);
            checkSide(right, sign, d.outputTokens(), where + " output " + j);
            compared++;
        }
        return compared;
    }

    private static void checkSide(double[] dense, double sign, List<TokenWeight> listed, String where) {
        assertEquals(K, listed.size(), where);
        List<Integer> expected = IntStream.range(0, dense.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -Math.abs(dense[i])).thenComparingInt(i -> i))
                .limit(K).toList();
        for (int r = 0; r < K; r++) {
            TokenWeight t = listed.get(r);
            assertEquals(sign * dense[t.id()], t.weight(), 1e-6, where + " rank " + r);
            if (t.id() != expected.get(r)) {
                assertEquals(Math.abs(dense[expected.get(r)]), Math.abs(dense[t.id()]), 1e-6, where + " rank " + r);
            }
            assertTokenString(t.id(), t.token());
        }
        assertTrue(listed.get(0).weight() != 0);
    }

    /** The tokenizer's own decoding of the id, made visible, wherever it is whole text. */
    private static void assertTokenString(int id, String token) {
        assertNotNull(token, "token " + id);
        String text = decoded.get(id).asText();
        if (text.indexOf('\uFFFD') < 0) {
            assertEquals(TokenVocabulary.visible(text), token, "token " + id);
        }
    }

    private static HeadSpectra head(int layer, int head) {
        return spectra.heads().stream().filter(h -> h.layer() == layer && h.head() == head).findFirst().orElseThrow();
    }
}

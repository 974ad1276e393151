package io.github.spectralcircuits.circuits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.model.LayerWeights;
import io.github.spectralcircuits.testing.InMemoryTransformer;
import io.github.spectralcircuits.testing.RandomTransformers;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The dense circuits entry by entry against the definitions of SPEC section 4, written as plain sums. */
class DenseCircuitsTest {

    @ParameterizedTest(name = "tied={0} fold={1}")
    @CsvSource({"true,true", "true,false", "false,true", "false,false"})
    void materialisedCircuitsFollowTheDefinitions(boolean tied, boolean fold) {
        int vocab = 9, d = 5, heads = 4, kv = 2, dh = 2;
        InMemoryTransformer m = RandomTransformers.random(11, vocab, d, 1, heads, kv, dh, tied);
        LayerWeights w = m.layer(0);
        double[] g = fold ? w.attnNormGain() : RandomTransformers.ones(d);
        double[] gf = fold ? m.finalNormGain() : RandomTransformers.ones(d);
        DenseCircuits dense = DenseCircuits.of(m, fold);
        int h = 3;
        int k = 1; // h / (H / KV)
        DMatrixRMaj qk = dense.qk(w, h);
        DMatrixRMaj ov = dense.ov(w, h);
        for (int i = 0; i < vocab; i++) {
            for (int j = 0; j < vocab; j++) {
                double sQK = 0;
                double sOV = 0;
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        for (int c = 0; c < dh; c++) {
                            // QK[i,j] = sum E[i,a] (g_a Q[a,c]) (g_b K[b,c]) E[j,b]
                            sQK += m.embeddingAt(i, a) * g[a] * w.wQ().get(a, h * dh + c)
                                    * g[b] * w.wK().get(b, k * dh + c) * m.embeddingAt(j, b);
                            // OV[i,j] = sum E[i,a] (g_a V[a,c]) O[c,b] (gf_b U^T[j,b])
                            sOV += m.embeddingAt(i, a) * g[a] * w.wV().get(a, k * dh + c)
                                    * w.wO().get(h * dh + c, b) * gf[b] * m.unembeddingTAt(j, b);
                        }
                    }
                }
                assertEquals(sQK, qk.get(i, j), 1e-12, "QK " + i + "," + j);
                assertEquals(sOV, ov.get(i, j), 1e-12, "OV " + i + "," + j);
            }
        }
    }

    @ParameterizedTest(name = "V={0}")
    @CsvSource({"2049"})
    void refusesLargeVocabulariesWithAClearMessage(int vocab) {
        InMemoryTransformer m = RandomTransformers.random(1, vocab, 2, 1, 1, 1, 1, true);
        SpectralException e = assertThrows(SpectralException.class, () -> DenseCircuits.of(m, true));
        assertTrue(e.getMessage().contains("verifyDense") && e.getMessage().contains("2049"), e.getMessage());
    }
}

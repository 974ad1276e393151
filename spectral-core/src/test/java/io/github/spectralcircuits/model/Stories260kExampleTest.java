package io.github.spectralcircuits.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.linalg.RowMatrix;
import java.nio.file.Path;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bundled real model (examples/stories260k, see its README) through ModelLoader and the Llama adapter:
 * the sizes of the README's table, the tied unembedding, grouped-query attention, and the byte-fallback
 * rows of the embedding.

 */
class Stories260kExampleTest {
    private static final Path DIR = Path.of("../examples/stories260k");
    private static TransformerModel model;

    @BeforeAll
    static void open() {
        model = ModelLoader.open(DIR);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void infoMatchesTheReadmeTable() {
        ModelInfo info = model.info();
        assertEquals("LlamaForCausalLM", info.architecture());
        assertEquals(512, info.vocabSize());
        assertEquals(64, info.dModel());
        assertEquals(5, info.nLayers());
        assertEquals(8, info.nHeads());
        assertEquals(4, info.nKvHeads());
        assertEquals(8, info.dHead());
        assertTrue(info.tiedEmbeddings());
        assertEquals("F32", info.dtype());
        assertEquals(0.02, info.initializerRange());
    }

    @Test
    void unembeddingIsTheEmbeddingItself() {
        assertEquals(512, model.embedding().rows());
        assertEquals(64, model.embedding().cols());
        assertSame(model.embedding(), model.unembeddingTransposed());
        assertEquals(64, model.finalNormGain().length);
    }

    @Test
    void everyLayerHasTheReadmeShapesAndSharesKeyValueHeadsInPairs() {
        for (int l = 0; l < 5; l++) {
            LayerWeights w = model.layer(l);
            assertEquals(l, w.layer());
            assertEquals(64, w.attnNormGain().length);
            assertShape(w.wQ(), 64, 64);
            assertShape(w.wK(), 64, 32);
            assertShape(w.wV(), 64, 32);
            assertShape(w.wO(), 64, 64);
            for (int k = 0; k < 4; k++) {
                HeadWeights even = w.head(2 * k);
                HeadWeights odd = w.head(2 * k + 1);
                assertEquals(k, even.kvHead());
                assertEquals(k, odd.kvHead());
                assertArrayEquals(even.wK().data, odd.wK().data);
                assertArrayEquals(even.wV().data, odd.wV().data);
                assertFalse(Arrays.equals(even.wQ().data, odd.wQ().data), "query heads are distinct");
                assertShape(even.wO(), 8, 64);
            }
        }
    }

    /**
     * The README says rows 3..258 (byte-fallback tokens) are "all the same vector". Measured, they are not
     * bitwise equal: most of them agree to within 1e-3 of a common vector of norm about 2.8, while the
     * bytes that do occur in the training text (tab, newline, UTF-8 lead bytes...) moved away. This test
     * pins the property that holds: a majority cluster among rows 3..258, no ordinary token (259..511) in
     * it, and the embedding still of full column rank 64.
     */
    @Test
    void mostByteFallbackRowsCoincideAndTheEmbeddingKeepsFullRank() {
        RowMatrix e = model.embedding();
        double[] all = new double[512 * 64];
        e.readRows(0, 512, all);
        double[] centre = new double[64];
        for (int c = 0; c < 64; c++) {
            double[] column = new double[256];
            for (int r = 3; r <= 258; r++) {
                column[r - 3] = all[r * 64 + c];
            }
            Arrays.sort(column);
            centre[c] = (column[127] + column[128]) / 2;
        }
        assertTrue(norm(centre) > 1, "the common byte-fallback vector is not near zero");
        int clustered = 0;
        for (int r = 3; r <= 258; r++) {
            if (maxAbsDiff(all, r, centre) <= 1e-3) {
                clustered++;
            }
        }
        assertTrue(clustered > 128, "only " + clustered + " of 256 byte-fallback rows lie near their median");
        for (int r = 259; r < 512; r++) {
            assertTrue(maxAbsDiff(all, r, centre) > 1e-3, "ordinary token " + r + " lies in the byte cluster");
        }

        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(512, 64, false, false, true);
        assertTrue(svd.decompose(DMatrixRMaj.wrap(512, 64, all)));
        double sMax = Arrays.stream(svd.getSingularValues()).max().orElseThrow();
        assertEquals(64, SingularOps_DDRM.rank(svd, 1e-6 * sMax));
    }

    private static void assertShape(DMatrixRMaj m, int rows, int cols) {
        assertEquals(rows, m.numRows);
        assertEquals(cols, m.numCols);
    }

    private static double maxAbsDiff(double[] rows, int r, double[] v) {
        double max = 0;
        for (int c = 0; c < v.length; c++) {
            max = Math.max(max, Math.abs(rows[r * v.length + c] - v[c]));
        }
        return max;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}

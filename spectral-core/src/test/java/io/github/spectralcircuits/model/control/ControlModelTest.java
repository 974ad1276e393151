package io.github.spectralcircuits.model.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.linalg.RowMatrix;
import io.github.spectralcircuits.model.HeadWeights;
import io.github.spectralcircuits.model.LayerRows;
import io.github.spectralcircuits.model.LayerWeights;
import io.github.spectralcircuits.model.ModelInfo;
import java.util.Arrays;
import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;

class ControlModelTest {
    static ModelInfo info(String arch, int v, int d, int layers, int heads, int kv, int dh, boolean tied, double r) {
        return new ModelInfo("trained", arch, v, d, layers, heads, kv, dh, tied, "F32", r);
    }

    static final ModelInfo LLAMA = info("LlamaForCausalLM", 4096, 64, 2, 4, 2, 16, false, 0.02);

    /** LLAMA's vocabulary would get a sampled Gram: these tests are about the explicitly generated rows. */
    static ControlModel rows(ModelInfo info, long seed) {
        return ControlModel.of(info, seed, ControlModel.EmbeddingDraw.ROWS);
    }

    static double[] read(RowMatrix m, int panel) {
        double[] all = new double[m.rows() * m.cols()];
        double[] buf = new double[panel * m.cols()];
        for (int r = 0; r < m.rows(); r += panel) {
            int n = Math.min(panel, m.rows() - r);
            m.readRows(r, n, buf);
            System.arraycopy(buf, 0, all, r * m.cols(), n * m.cols());
        }
        return all;
    }

    /**
     * A layer's projections are drawn in parallel blocks of rows (toArray): the same values, bit for bit, as
     * the rows read one at a time, whatever the split (shapes that are and are not multiples of the block).
     */
    @Test
    void layersDrawnInParallelEqualTheRowsReadOneByOne() {
        for (int rows : new int[] {1, 63, 64, 200}) {
            GaussianRowMatrix g = new GaussianRowMatrix(rows, 37, 5, ControlModel.QUERY, 0.02);
            assertArrayEquals(read(g, 1), g.toArray(), 0.0, rows + " rows");
        }
        LayerWeights w = rows(LLAMA, 7).layer(1);
        long layerSeed = SeedMixer.combine(7, ControlModel.LAYER, 1);
        ControlInitialisation init = ControlInitialisation.of(LLAMA);
        assertArrayEquals(read(new GaussianRowMatrix(64, 64, layerSeed, ControlModel.QUERY, init.qkvStd()), 1), w.wQ().data, 0.0);
        assertArrayEquals(read(new GaussianRowMatrix(64, 32, layerSeed, ControlModel.VALUE, init.qkvStd()), 3), w.wV().data, 0.0);
        assertArrayEquals(read(new GaussianRowMatrix(64, 64, layerSeed, ControlModel.OUTPUT, init.outputStd()), 5), w.wO().data, 0.0);
        // the row views the analysis' diagonal path reads: the same layer, value for value
        LayerRows v = rows(LLAMA, 7).layerRows(1);
        assertArrayEquals(w.wQ().data, read(v.wQ(), 3), 0.0);
        assertArrayEquals(w.wK().data, read(v.wK(), 64), 0.0);
        assertArrayEquals(w.wV().data, read(v.wV(), 1), 0.0);
        assertArrayEquals(w.wO().data, read(v.wO(), 7), 0.0);
        assertArrayEquals(w.attnNormGain(), v.attnNormGain(), 0.0);
        assertEquals(w.queryNormGain(), v.queryNormGain());
        assertEquals(w.outputNormGain(), v.outputNormGain());
        assertEquals(1, v.layer());
        assertThrows(IndexOutOfBoundsException.class, () -> rows(LLAMA, 7).layerRows(2));
    }

    @Test
    void sameSeedGivesBitIdenticalWeightsAcrossInstancesAndPanelSizes() {
        ControlModel a = rows(LLAMA, 42);
        ControlModel b = rows(LLAMA, 42);
        double[] whole = read(a.embedding(), a.embedding().rows());
        for (int panel : new int[] {1, 7, 100, 1000}) {
            assertArrayEquals(whole, read(b.embedding(), panel), 0.0, "panel " + panel);
        }
        // a panel that starts mid-matrix equals the same rows of the whole
        double[] mid = new double[3 * 64];
        b.embedding().readRows(2001, 3, mid);
        assertArrayEquals(Arrays.copyOfRange(whole, 2001 * 64, 2004 * 64), mid, 0.0);
        assertArrayEquals(read(a.unembeddingTransposed(), 4096), read(b.unembeddingTransposed(), 33), 0.0);
        for (int l = 0; l < LLAMA.nLayers(); l++) {
            LayerWeights x = a.layer(l);
            LayerWeights y = b.layer(l);
            assertArrayEquals(x.wQ().data, y.wQ().data, 0.0);
            assertArrayEquals(x.wK().data, y.wK().data, 0.0);
            assertArrayEquals(x.wV().data, y.wV().data, 0.0);
            assertArrayEquals(x.wO().data, y.wO().data, 0.0);
            // generated afresh on each call, identical every time
            assertArrayEquals(x.wO().data, a.layer(l).wO().data, 0.0);
        }
    }

    @Test
    void concurrentReadersSeeTheSameValues() throws Exception {
        ControlModel a = rows(LLAMA, 42);
        double[] whole = read(a.embedding(), 4096);
        double[][] parts = new double[4][];
        Thread[] ts = new Thread[4];
        for (int t = 0; t < 4; t++) {
            int tt = t;
            ts[t] = new Thread(() -> parts[tt] = read(a.embedding(), 13 + tt * 50));
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        for (double[] p : parts) {
            assertArrayEquals(whole, p, 0.0);
        }
    }

    @Test
    void anotherSeedAndEveryMatrixDiffer() {
        ControlModel a = rows(LLAMA, 42);
        ControlModel c = rows(LLAMA, 43);
        double[] e = read(a.embedding(), 4096);
        assertEquals(0, countEqual(e, read(c.embedding(), 4096)));
        assertEquals(0, countEqual(e, read(a.unembeddingTransposed(), 4096)));
        LayerWeights l0 = a.layer(0);
        LayerWeights l1 = a.layer(1);
        assertEquals(0, countEqual(l0.wQ().data, l1.wQ().data));
        assertEquals(0, countEqual(l0.wQ().data, Arrays.copyOf(l0.wO().data, l0.wQ().data.length)));
        assertEquals(0, countEqual(l0.wK().data, l0.wV().data));
        assertEquals(0, countEqual(l0.wK().data, c.layer(0).wK().data));
    }

    private static int countEqual(double[] x, double[] y) {
        int n = 0;
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (x[i] == y[i]) {
                n++;
            }
        }
        return n;
    }

    @Test
    void entriesHaveMeanZeroAndStdInitializerRange() {
        ControlModel a = rows(LLAMA, 42);
        double[] e = read(a.embedding(), 512);
        int n = e.length;
        double mean = Arrays.stream(e).sum() / n;
        double std = Math.sqrt(Arrays.stream(e).map(x -> (x - mean) * (x - mean)).sum() / n);
        assertEquals(0, mean, 5 * 0.02 / Math.sqrt(n));
        assertEquals(0.02, std, 5 * 0.02 / Math.sqrt(2.0 * n));
        // and the first column alone (one draw per row stream) is N(0, r^2) too: rows are independent
        double[] col0 = new double[4096];
        for (int r = 0; r < 4096; r++) {
            col0[r] = e[r * 64];
        }
        double m0 = Arrays.stream(col0).sum() / 4096;
        double s0 = Math.sqrt(Arrays.stream(col0).map(x -> (x - m0) * (x - m0)).sum() / 4096);
        assertEquals(0, m0, 5 * 0.02 / 64);
        assertEquals(0.02, s0, 5 * 0.02 / Math.sqrt(2.0 * 4096));
    }

    @Test
    void shapesGainsAndTyingFollowTheTrainedModel() {
        ControlModel a = ControlModel.of(LLAMA, 1);
        assertEquals(4096, a.embedding().rows());
        assertEquals(64, a.embedding().cols());
        LayerWeights l = a.layer(1);
        assertEquals(64, l.wQ().numRows);
        assertEquals(4 * 16, l.wQ().numCols);
        assertEquals(2 * 16, l.wK().numCols);
        assertEquals(2 * 16, l.wV().numCols);
        assertEquals(4 * 16, l.wO().numRows);
        assertEquals(64, l.wO().numCols);
        assertTrue(Arrays.stream(l.attnNormGain()).allMatch(g -> g == 1.0));
        assertTrue(Arrays.stream(a.finalNormGain()).allMatch(g -> g == 1.0));
        assertNotSame(a.embedding(), a.unembeddingTransposed());
        ControlModel tied = ControlModel.of(info("LlamaForCausalLM", 512, 64, 1, 8, 4, 8, true, 0.02), 1);
        assertSame(tied.embedding(), tied.unembeddingTransposed());
        assertEquals(LLAMA.vocabSize(), a.info().vocabSize());
        assertEquals(LLAMA.architecture(), a.info().architecture());
        assertThrows(IndexOutOfBoundsException.class, () -> a.layer(2));
    }

    @Test
    void gpt2ScalesItsOutputProjectionAsHuggingFaceDoes() {
        ModelInfo gpt2 = info("GPT2LMHeadModel", 256, 32, 8, 2, 2, 16, true, 0.02);
        ControlInitialisation init = ControlModel.of(gpt2, 3).initialisation();
        assertEquals(0.02, init.qkvStd());
        assertEquals(0.02 / 4, init.outputStd(), 1e-15); // sqrt(2 * 8) = 4
        double[] o = ControlModel.of(gpt2, 3).layer(0).wO().data;
        double s = Math.sqrt(Arrays.stream(o).map(x -> x * x).sum() / o.length);
        assertEquals(0.005, s, 0.005 * 5 / Math.sqrt(2.0 * o.length));
        assertEquals(0.02, ControlInitialisation.of(info("GPTNeoForCausalLM", 256, 32, 8, 2, 2, 16, true, 0.02))
                .outputStd());
        assertEquals(0.02, ControlInitialisation.of(info("LlamaForCausalLM", 256, 32, 8, 2, 2, 16, true, 0)).qkvStd(),
                "a missing initializer_range falls back to Hugging Face's default");
    }

    @Test
    void invalidShapeIsAClearError() {
        SpectralException e = assertThrows(SpectralException.class,
                () -> ControlModel.of(info("LlamaForCausalLM", 512, 64, 1, 6, 4, 8, true, 0.02), 1));
        assertTrue(e.getMessage().contains("6 heads, 4 key/value heads"), e.getMessage());
    }

    /**
     * Random-matrix expectations checked on circuits computed here (independent of the analyzer).
     * With W_E^T W_E close to V r^2 I when V >> d, ||QK||_F^2 = tr(G W_Q W_K^T G W_K W_Q^T) is close
     * to V^2 r^4 ||W_Q W_K^T||_F^2, whose expectation is V^2 r^4 * d^2 dh r^4. The V x V circuit A B^T
     * (A = W_E W_Q, B = W_E W_K) is not materialised: its squared Frobenius norm is tr((A^T A)(B^T B)), exactly,
     * from two V x dh products (32 materialised 2048 x 2048 circuits took 2.8 s of the unit suite).
     */
    @Test
    void circuitsMatchRandomMatrixExpectations() {
        int v = 2048;
        int d = 32;
        int dh = 8;
        double r = 0.02;
        ControlModel m = ControlModel.of(info("LlamaForCausalLM", v, d, 4, 8, 8, dh, true, r), 42);
        DMatrixRMaj we = DMatrixRMaj.wrap(v, d, read(m.embedding(), v));
        DMatrixRMaj gram = new DMatrixRMaj(d, d);
        CommonOps_DDRM.multTransA(we, we, gram);
        double frobRatioSum = 0;
        double positivitySum = 0;
        int heads = 0;
        for (int l = 0; l < 4; l++) {
            LayerWeights lw = m.layer(l);
            for (int h = 0; h < 8; h++) {
                HeadWeights hw = lw.head(h);
                DMatrixRMaj a = mult(we, hw.wQ());
                DMatrixRMaj b = mult(we, hw.wK());
                double qkNormF = Math.sqrt(CommonOps_DDRM.trace(mult(tr(a), a, tr(b), b)));
                double expected = v * d * Math.sqrt(dh) * r * r * r * r;
                frobRatioSum += qkNormF / expected;
                // OV core W_O (W_U W_E) W_V: its eigenvalues are the nonzero ones of the V x V circuit
                DMatrixRMaj core = mult(hw.wO(), gram, hw.wV());
                EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(dh, false);
                assertTrue(eig.decompose(core));
                double re = 0;
                double abs = 0;
                for (int i = 0; i < dh; i++) {
                    Complex_F64 z = eig.getEigenvalue(i);
                    re += z.real;
                    abs += z.getMagnitude();
                }
                positivitySum += re / abs;
                heads++;
            }
        }
        assertEquals(1.0, frobRatioSum / heads, 0.1);
        assertEquals(0.0, positivitySum / heads, 0.15);
        assertFalse(Double.isNaN(positivitySum));
    }

    private static DMatrixRMaj tr(DMatrixRMaj a) {
        return CommonOps_DDRM.transpose(a, null);
    }

    private static DMatrixRMaj mult(DMatrixRMaj... ms) {
        DMatrixRMaj acc = ms[0];
        for (int i = 1; i < ms.length; i++) {
            DMatrixRMaj next = new DMatrixRMaj(acc.numRows, ms[i].numCols);
            CommonOps_DDRM.mult(acc, ms[i], next);
            acc = next;
        }
        return acc;
    }
}

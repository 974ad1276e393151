package io.github.spectralcircuits.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ProgressListener;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.circuits.DenseCircuits;
import io.github.spectralcircuits.circuits.EmbeddingGrams;
import io.github.spectralcircuits.circuits.GramFactor;
import io.github.spectralcircuits.model.LayerWeights;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.model.ModelLoader;
import io.github.spectralcircuits.model.TransformerModel;
import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.spectra.HeadSpectra;
import io.github.spectralcircuits.spectra.ModelSpectra;
import io.github.spectralcircuits.spectra.SpectraAnalyzer;
import io.github.spectralcircuits.testing.InMemoryTransformer;
import io.github.spectralcircuits.testing.ModelCopies;
import io.github.spectralcircuits.testing.RandomTransformers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReferenceComparisonsTest {
    static final Path STORIES = Path.of("../examples/stories260k");

    static Path scaledCopy(Path dir, int layer, int head, double factor) throws IOException {
        return ModelCopies.withScaledOutputColumns(dir, layer, head, factor);
    }

    /** Layer 3 head 5's o_proj columns times 1.5 (see {@link ModelCopies}): only its OV circuit changes, by 0.5. */
    @Test
    void aHeadWithScaledOutputColumnsIsNamedFirst(@TempDir Path dir) throws IOException {
        Path scaled = scaledCopy(dir, 3, 5, 1.5);
        try (TransformerModel m = ModelLoader.open(scaled); TransformerModel ref = ModelLoader.open(STORIES)) {
            ReferenceComparisons.Result r = ReferenceComparisons.compare(m, ref, STORIES.toString(),
                    AnalysisSettings.defaults(), ProgressListener.NONE);
            List<ChangedHead> changed = r.changedHeads();
            assertEquals(80, changed.size());
            ChangedHead top = changed.get(0);
            assertEquals(List.of(1, 3, 5, CircuitType.OV), List.of(top.rank(), top.layer(), top.head(), top.circuit()));
            assertEquals(0.5, top.score(), 1e-6); // the o_proj values are float32: 1.5 x rounds to the nearest float
            assertEquals(0.5, top.singularValueChange(), 1e-6);
            assertEquals(0.5, top.spectralNormChange(), 1e-6);
            assertEquals(1.5 * top.referenceSpectralNorm(), top.spectralNorm(), 1e-6 * top.spectralNorm());
            assertEquals(8, top.subspaceDimension(), "d_head 8: the whole column space");
            assertTrue(top.maxAngleDegrees() < 1e-5, "a scaled head keeps its subspaces: " + top.maxAngleDegrees());
            for (ChangedHead c : changed.subList(1, changed.size())) {
                assertEquals(0.0, c.score(), 0.0, c.layer() + "." + c.head() + " " + c.circuit());
            }
            assertEquals(1, r.comparison().changedCircuits());
            assertEquals("identical", r.comparison().embedding());
            assertEquals("tied", r.comparison().unembedding());
        }
    }

    @Test
    void anUnchangedModelGivesAllZero(@TempDir Path dir) throws IOException {
        Path copy = Files.createDirectories(dir.resolve("copy"));
        for (String f : List.of("config.json", "model.safetensors")) {
            Files.copy(STORIES.resolve(f), copy.resolve(f));
        }
        try (TransformerModel m = ModelLoader.open(copy); TransformerModel ref = ModelLoader.open(STORIES)) {
            ReferenceComparisons.Result r = ReferenceComparisons.compare(m, ref, STORIES.toString(),
                    AnalysisSettings.defaults(), ProgressListener.NONE);
            assertEquals(80, r.changedHeads().size());
            for (ChangedHead c : r.changedHeads()) {
                assertEquals(0.0, c.score(), 0.0);
                assertEquals(0.0, c.singularValueChange(), 0.0);
                assertEquals(0.0, c.maxAngleDegrees(), 0.0);
                assertTrue(Arrays.stream(c.leftAnglesDegrees()).allMatch(a -> a == 0.0));
            }
            assertEquals(0, r.comparison().changedCircuits());
        }
    }

    /** The singular values are the pipeline's (the same R factors), and the scaled head comes first. */
    @Test
    void theFactoredSingularValuesAreThePipelines(@TempDir Path dir) throws IOException {
        Path scaled = scaledCopy(dir, 1, 2, 0.25);
        try (TransformerModel m = ModelLoader.open(scaled); TransformerModel ref = ModelLoader.open(STORIES)) {
            ModelSpectra spectra = new SpectraAnalyzer(AnalysisSettings.defaults(), ProgressListener.NONE).analyze(m);
            ReferenceComparisons.Result r = ReferenceComparisons.compare(m, ref, "stories260k", AnalysisSettings.defaults(),
                    ProgressListener.NONE);
            for (ChangedHead c : r.changedHeads()) {
                HeadSpectra h = spectra.heads().get(c.layer() * 8 + c.head());
                double sigma1 = h.circuit(c.circuit()).singularValues()[0];
                assertEquals(sigma1, c.spectralNorm(), 1e-10 * sigma1);
            }
            assertEquals(List.of(1, 2, CircuitType.OV), List.of(r.changedHeads().get(0).layer(),
                    r.changedHeads().get(0).head(), r.changedHeads().get(0).circuit()));
            assertEquals(0.75, r.changedHeads().get(0).score(), 1e-6);
        }
    }

    /**
     * Against the dense path: two small random models that differ in their (untied) embedding, unembedding, and one
     * head's W_Q and W_V, every circuit materialised as a V x V matrix, its full SVD taken, and the principal angles
     * between the top-k left and right singular subspaces computed from the V-dimensional singular vectors.
     */
    @ParameterizedTest(name = "dead embedding dimension: {0}")
    @ValueSource(booleans = {false, true})
    void anglesAndChangesEqualTheDenseComputation(boolean deadDimension) {
        int v = 96;
        int d = 16;
        int dh = 4;
        InMemoryTransformer ref = RandomTransformers.random(5, v, d, 2, 4, 2, dh, false);
        if (deadDimension) {
            // column 0 of W_E and W_U^T zero in both models: rank-deficient Grams, clamped factors, pseudo-inverses
            ref = perturbed(ref, new Random(1), 0, 0);
        }
        InMemoryTransformer model = perturbed(ref, new Random(9), 0.05, deadDimension ? 0 : -1);
        assertEquals(deadDimension ? GramFactor.Method.EIGEN_CLAMPED : GramFactor.Method.CHOLESKY,
                EmbeddingGrams.compute(model).factorE().method());
        AnalysisSettings s = AnalysisSettings.defaults();
        ReferenceComparisons.Result r = ReferenceComparisons.compare(model, ref, "ref", s, ProgressListener.NONE);
        assertEquals("differs", r.comparison().embedding());
        assertEquals("differs", r.comparison().unembedding());
        DenseCircuits dm = DenseCircuits.of(model, true);
        DenseCircuits dr = DenseCircuits.of(ref, true);
        double largestAngle = 0;
        for (ChangedHead c : r.changedHeads()) {
            LayerWeights wm = model.layer(c.layer());
            LayerWeights wr = ref.layer(c.layer());
            Svd now = Svd.of(c.circuit() == CircuitType.QK ? dm.qk(wm, c.head()) : dm.ov(wm, c.head()));
            Svd was = Svd.of(c.circuit() == CircuitType.QK ? dr.qk(wr, c.head()) : dr.ov(wr, c.head()));
            double[] sNow = Arrays.copyOf(now.s, dh);
            double[] sWas = Arrays.copyOf(was.s, dh);
            assertEquals(ReferenceComparisons.subspaceDimension(sWas), c.subspaceDimension());
            int k = c.subspaceDimension();
            String where = c.layer() + "." + c.head() + " " + c.circuit();
            assertEquals(sNow[0], c.spectralNorm(), 1e-10 * sNow[0], where);
            assertEquals(distance(sNow, sWas) / norm(sWas), c.singularValueChange(), 1e-9, where);
            assertEquals(Math.abs(sNow[0] - sWas[0]) / sWas[0], c.spectralNormChange(), 1e-9, where);
            double[] left = angles(columns(now.u, k), columns(was.u, k));
            double[] right = angles(columns(now.v, k), columns(was.v, k));
            for (int i = 0; i < k; i++) {
                assertEquals(left[i], c.leftAnglesDegrees()[i], 1e-5, where + " left angle " + i);
                assertEquals(right[i], c.rightAnglesDegrees()[i], 1e-5, where + " right angle " + i);
            }
            largestAngle = Math.max(largestAngle, c.maxAngleDegrees());
        }
        assertTrue(largestAngle > 1, "the perturbation turns some subspace visibly: " + largestAngle);
        // ranked by score, biggest first
        for (int i = 1; i < r.changedHeads().size(); i++) {
            assertTrue(r.changedHeads().get(i - 1).score() >= r.changedHeads().get(i).score());
        }
    }

    @Test
    void anotherArchitectureIsOneClearError() {
        InMemoryTransformer a = RandomTransformers.random(1, 64, 16, 2, 4, 2, 4, true);
        InMemoryTransformer b = RandomTransformers.random(1, 64, 24, 3, 4, 2, 4, true);
        SpectralException e = assertThrows(SpectralException.class, () -> ReferenceComparisons.compare(a, b, "other/dir",
                AnalysisSettings.defaults(), ProgressListener.NONE));
        String msg = e.getMessage();
        assertTrue(msg.contains("other/dir") && msg.contains("dModel 24 in the reference, 16 here")
                && msg.contains("nLayers 3 in the reference, 2 here") && msg.contains("same architecture"), msg);
        assertEquals(1, msg.split("\n").length, "one paragraph");
    }

    @Test
    void theSubspaceDimensionSitsAtTheLargestGap() {
        assertEquals(2, ReferenceComparisons.subspaceDimension(new double[] {10, 9, 1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3}));
        assertEquals(4, ReferenceComparisons.subspaceDimension(new double[] {4, 3, 2, 1}), "d_head <= 8: all of it");
        assertEquals(2, ReferenceComparisons.subspaceDimension(new double[] {4, 3, 0, 0}), "the rank");
        assertEquals(0, ReferenceComparisons.subspaceDimension(new double[] {0, 0}));
    }

    // ---- the dense computation

    private record Svd(double[] s, DMatrixRMaj u, DMatrixRMaj v) {
        static Svd of(DMatrixRMaj m) {
            SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(m.numRows, m.numCols,
                    true, true, false);
            assertTrue(svd.decompose(m.copy()));
            DMatrixRMaj u = svd.getU(null, false);
            DMatrixRMaj w = svd.getW(null);
            DMatrixRMaj v = svd.getV(null, false);
            SingularOps_DDRM.descendingOrder(u, false, w, v, false);
            double[] s = new double[Math.min(m.numRows, m.numCols)];
            for (int i = 0; i < s.length; i++) {
                s[i] = w.get(i, i);
            }
            return new Svd(s, u, v);
        }
    }

    private static DMatrixRMaj columns(DMatrixRMaj m, int k) {
        return CommonOps_DDRM.extract(m, 0, m.numRows, 0, k);
    }

    /** Principal angles (degrees, ascending) between the spans of two V x k orthonormal matrices. */
    private static double[] angles(DMatrixRMaj a, DMatrixRMaj b) {
        DMatrixRMaj m = new DMatrixRMaj(a.numCols, b.numCols);
        CommonOps_DDRM.multTransA(a, b, m);
        double[] cos = Svd.of(m).s;
        double[] out = new double[cos.length];
        for (int i = 0; i < cos.length; i++) {
            out[i] = Math.toDegrees(Math.acos(Math.min(1, cos[i])));
        }
        Arrays.sort(out);
        return out;
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    private static double norm(double[] a) {
        return Math.sqrt(Arrays.stream(a).map(x -> x * x).sum());
    }

    /**
     * The reference with noise of relative size eps on W_E, W_U^T, and on head 1's W_Q and W_V of layer 1; column
     * dead (if not -1) of W_E and W_U^T set to 0.
     */
    static InMemoryTransformer perturbed(InMemoryTransformer ref, Random rnd, double eps, int dead) {
        ModelInfo info = ref.info();
        int v = info.vocabSize();
        int d = info.dModel();
        double[] wE = new double[v * d];
        double[] wUT = new double[v * d];
        for (int i = 0; i < v; i++) {
            for (int j = 0; j < d; j++) {
                wE[i * d + j] = j == dead ? 0 : ref.embeddingAt(i, j) * (1 + eps * rnd.nextGaussian());
                wUT[i * d + j] = j == dead ? 0 : ref.unembeddingTAt(i, j) * (1 + eps * rnd.nextGaussian());
            }
        }
        List<LayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < info.nLayers(); l++) {
            LayerWeights w = ref.layer(l);
            DMatrixRMaj q = w.wQ().copy();
            DMatrixRMaj val = w.wV().copy();
            if (l == 1) {
                for (int r = 0; r < d; r++) {
                    for (int c = info.dHead(); c < 2 * info.dHead(); c++) {
                        q.set(r, c, q.get(r, c) + 5 * eps * rnd.nextGaussian() / Math.sqrt(d));
                    }
                    for (int c = 0; c < info.dHead(); c++) {
                        val.set(r, c, val.get(r, c) + 5 * eps * rnd.nextGaussian() / Math.sqrt(d));
                    }
                }
            }
            layers.add(new LayerWeights(l, w.nHeads(), w.nKvHeads(), w.dHead(), w.attnNormGain(), q, w.wK(), val, w.wO()));
        }
        return new InMemoryTransformer(info, wE, wUT, ref.finalNormGain(), layers);
    }
}

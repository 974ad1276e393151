package io.github.spectralcircuits.compare;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ProgressListener;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.circuits.EmbeddingGrams;
import io.github.spectralcircuits.circuits.GramFactor;
import io.github.spectralcircuits.circuits.HeadFactors;
import io.github.spectralcircuits.circuits.LayerProducts;
import io.github.spectralcircuits.circuits.SharedFactors;
import io.github.spectralcircuits.circuits.SharedProducts;
import io.github.spectralcircuits.linalg.RowMatrix;
import io.github.spectralcircuits.linalg.TallProducts;
import io.github.spectralcircuits.model.LayerWeights;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.model.TransformerModel;
import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.spectra.SpectraAnalyzer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * This model against a reference of the same architecture (a base model and its fine-tune, two checkpoints of
 * one run), circuit by circuit: the relative change of the singular values and of the spectral norm, and the
 * principal angles between the top singular subspaces.
 *
 * <p>Every circuit is L R^T in the orthonormal bases of its model's W_E and W_U^T ({@link HeadFactors}), so its
 * singular vectors are d-dimensional there ({@link CircuitSvd}); comparing two models' subspaces needs the bases'
 * overlap Q_E^T Q_E' = F_E^+T (W_E^T W_E') F_E'^+, one d x d product over the vocabulary, or nothing at all when
 * both embeddings are the same, which is checked value by value first (a fine-tune that froze them, or a copy).
 * A circuit whose factors are the same in both models (and whose bases are) has changed by exactly 0.
 */
public final class ReferenceComparisons {
    /** The largest subspace dimension tried. */
    static final int MAX_SUBSPACE = 8;

    private ReferenceComparisons() {
    }

    /** The section and the ranked circuits. */
    public record Result(ReferenceComparison comparison, List<ChangedHead> changedHeads) {
    }

    public static Result compare(TransformerModel model, TransformerModel reference, String referenceName,
                                 AnalysisSettings settings, ProgressListener progress) {
        ProgressListener log = progress == null ? ProgressListener.NONE : progress;
        checkSameShape(model.info(), reference.info(), referenceName);
        ModelInfo info = model.info();
        boolean fold = settings.foldNorms();
        Bases bases = Bases.of(model, reference, fold);
        // as the spectra see them: a normalised embedding (BLOOM's, folded) is no longer W_U^T
        boolean tied = bases.gramsT.tied();
        log.info("Reference " + referenceName + ": embeddings " + (bases.crossE == null ? "identical" : "differ")
                + (tied ? " (tied)" : ", unembeddings " + (bases.crossU == null ? "identical" : "differ")));
        SharedProducts sharedT = SharedProducts.of(bases.gramsT, fold ? SpectraAnalyzer.unembeddingGain(model) : null);
        SharedProducts sharedR = SharedProducts.of(bases.gramsR, fold ? SpectraAnalyzer.unembeddingGain(reference) : null);
        List<Unranked> all = new ArrayList<>();
        int perGroup = LayerProducts.kvHeadsPerGroup(info.nHeads(), info.nKvHeads(), info.dHead());
        int group = info.nHeads() / info.nKvHeads();
        try (SharedFactors factorsT = SharedFactors.of(sharedT); SharedFactors factorsR = SharedFactors.of(sharedR)) {
            for (int l = 0; l < info.nLayers(); l++) {
                if (!settings.includesLayer(l)) {
                    continue;
                }
                LayerWeights wT = model.layer(l);
                LayerWeights wR = reference.layer(l);
                // a group of heads at a time, as the spectra go: the two models' layer products never sit whole in the heap
                for (int kv0 = 0; kv0 < info.nKvHeads(); kv0 += perGroup) {
                    int kv1 = Math.min(info.nKvHeads(), kv0 + perGroup);
                    int[] selected = IntStream.range(kv0 * group, kv1 * group).filter(settings::includesHead).toArray();
                    if (selected.length == 0) {
                        continue;
                    }
                    LayerProducts pT = fold ? LayerProducts.folded(factorsT, wT, model.conventions().embeddingScale(), kv0, kv1)
                            : LayerProducts.raw(factorsT, wT, kv0, kv1);
                    LayerProducts pR = fold ? LayerProducts.folded(factorsR, wR, reference.conventions().embeddingScale(), kv0, kv1)
                            : LayerProducts.raw(factorsR, wR, kv0, kv1);
                    all.addAll(IntStream.of(selected).parallel()
                            .mapToObj(h -> {
                                HeadFactors t = pT.headFactors(h);
                                HeadFactors r = pR.headFactors(h);
                                return List.of(
                                        circuit(t, CircuitType.QK, Side.of(t.queries(), t.rQueries(), t.keys(), t.rKeys()),
                                                Side.of(r.queries(), r.rQueries(), r.keys(), r.rKeys()),
                                                bases.crossE, bases.crossE),
                                        circuit(t, CircuitType.OV, Side.of(t.values(), t.rValues(), t.outputs(), t.rOutputs()),
                                                Side.of(r.values(), r.rValues(), r.outputs(), r.rOutputs()),
                                                bases.crossE, bases.crossU));
                            })
                            .flatMap(List::stream).collect(Collectors.toList()));
                }
            }
        }
        all.sort(Comparator.comparingDouble((Unranked u) -> -u.score).thenComparingInt(u -> u.layer)
                .thenComparingInt(u -> u.head).thenComparing(u -> u.circuit));
        List<ChangedHead> ranked = new ArrayList<>();
        for (Unranked u : all) {
            ranked.add(new ChangedHead(ranked.size() + 1, u.layer, u.head, u.circuit, u.score, u.svChange, u.snChange,
                    u.norm, u.refNorm, u.k, u.maxAngle, u.left, u.right));
        }
        int changed = (int) ranked.stream().filter(c -> c.score() > 0).count();
        if (!ranked.isEmpty()) {
            ChangedHead top = ranked.get(0);
            log.info(String.format(Locale.ROOT, "Reference: %d of %d circuits changed; most: layer %d head %d %s, "
                    + "score %.4g", changed, ranked.size(), top.layer(), top.head(), top.circuit(), top.score()));
        }
        ReferenceComparison section = new ReferenceComparison(referenceName, reference.info(),
                ReferenceComparison.SCORE, ReferenceComparison.SUBSPACES,
                bases.crossE == null ? "identical" : "differs",
                tied ? "tied" : bases.crossU == null ? "identical" : "differs", ranked.size(), changed,
                ranked.isEmpty() ? Double.NaN : ranked.get(0).score());
        return new Result(section, ranked);
    }

    private record Unranked(int layer, int head, CircuitType circuit, double score, double svChange,
                            double snChange, double norm, double refNorm, int k, double maxAngle, double[] left,
                            double[] right) {
    }

    /** One model's factors of one circuit, L R^T, with their R factors. */
    private record Side(DMatrixRMaj l, DMatrixRMaj rl, DMatrixRMaj r, DMatrixRMaj rr) {
        static Side of(DMatrixRMaj l, DMatrixRMaj rl, DMatrixRMaj r, DMatrixRMaj rr) {
            return new Side(l, rl, r, rr);
        }

        CircuitSvd svd() {
            return CircuitSvd.of(l, rl, r, rr, Math.min(MAX_SUBSPACE, l.numCols));
        }

        boolean sameAs(Side o) {
            return Arrays.equals(l.data, o.l.data) && Arrays.equals(r.data, o.r.data);
        }
    }

    private static Unranked circuit(HeadFactors t, CircuitType type, Side now, Side was, DMatrixRMaj crossLeft,
                                    DMatrixRMaj crossRight) {
        CircuitSvd ref = was.svd();
        int k = subspaceDimension(ref.singularValues());
        if (crossLeft == null && crossRight == null && now.sameAs(was)) {
            // the same circuit in the same bases: changed by exactly 0 (no rounding noise from a second SVD)
            double n = ref.singularValues()[0];
            return new Unranked(t.layer(), t.head(), type, 0, 0, 0, n, n, k, 0, new double[k], new double[k]);
        }
        CircuitSvd cur = now.svd();
        double svChange = relative(distance(cur.singularValues(), ref.singularValues()), norm(ref.singularValues()));
        double snChange = relative(Math.abs(cur.singularValues()[0] - ref.singularValues()[0]), ref.singularValues()[0]);
        double[] left = PrincipalAngles.degrees(CircuitSvd.columns(cur.left(), k), CircuitSvd.columns(ref.left(), k), crossLeft);
        double[] right = PrincipalAngles.degrees(CircuitSvd.columns(cur.right(), k), CircuitSvd.columns(ref.right(), k), crossRight);
        double maxAngle = Math.max(max(left), max(right));
        double score = Math.max(Math.max(svChange, snChange), Math.sin(Math.toRadians(maxAngle)));
        return new Unranked(t.layer(), t.head(), type, score, svChange, snChange, cur.singularValues()[0],
                ref.singularValues()[0], k, maxAngle, left, right);
    }

    /**
     * k in 1..min(8, d_head) where sigma_k / sigma_(k+1) is largest, sigma_(d_head+1) = 0: the top-k subspace
     * is then as well separated as the spectrum allows (Davis-Kahan: its perturbation is bounded by the
     * weights' change over the gap). 0 for a circuit that is 0.
     */
    static int subspaceDimension(double[] sigma) {
        if (sigma.length == 0 || !(sigma[0] > 0)) {
            return 0;
        }
        int best = 1;
        double bestRatio = -1;
        for (int k = 1; k <= Math.min(MAX_SUBSPACE, sigma.length); k++) {
            double next = k < sigma.length ? sigma[k] : 0;
            double ratio = next > 0 ? sigma[k - 1] / next : Double.POSITIVE_INFINITY;
            if (ratio > bestRatio) {
                bestRatio = ratio;
                best = k;
            }
            if (ratio == Double.POSITIVE_INFINITY) {
                break;
            }
        }
        return best;
    }

    /** change / |reference|; from a reference of exactly 0 any change is infinite, none is 0 (as drifts are). */
    static double relative(double change, double reference) {
        if (reference == 0) {
            return change == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return change / Math.abs(reference);
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    private static double norm(double[] a) {
        double s = 0;
        for (double x : a) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    private static double max(double[] a) {
        double m = 0;
        for (double x : a) {
            m = Math.max(m, x);
        }
        return m;
    }

    /** One paragraph naming every shape in which the two models differ. */
    public static void checkSameShape(ModelInfo m, ModelInfo r, String referenceName) {
        List<String> differences = new ArrayList<>();
        differ(differences, "architecture", m.architecture(), r.architecture());
        differ(differences, "vocabSize", m.vocabSize(), r.vocabSize());
        differ(differences, "dModel", m.dModel(), r.dModel());
        differ(differences, "nLayers", m.nLayers(), r.nLayers());
        differ(differences, "nHeads", m.nHeads(), r.nHeads());
        differ(differences, "nKvHeads", m.nKvHeads(), r.nKvHeads());
        differ(differences, "dHead", m.dHead(), r.dHead());
        differ(differences, "tiedEmbeddings", m.tiedEmbeddings(), r.tiedEmbeddings());
        if (!differences.isEmpty()) {
            throw new SpectralException("The reference model " + referenceName + " does not have the architecture of "
                    + m.path() + ": " + String.join(", ", differences) + ". A reference must be the same architecture "
                    + "with the same shapes (a base model and its fine-tune, or two checkpoints of one training run), "
                    + "so that every head has a counterpart; point the reference at such a model, or leave it unset.");
        }
    }

    private static void differ(List<String> out, String name, Object here, Object there) {
        if (!here.equals(there)) {
            out.add(name + " " + there + " in the reference, " + here + " here");
        }
    }

    /**
     * Both models' Gram factors and the overlaps of their bases: null where the two matrices are the same, value
     * for value (then Q^T Q' = I), else F^+T (X^T X') F'^+.
     */
    private record Bases(EmbeddingGrams gramsT, EmbeddingGrams gramsR, DMatrixRMaj crossE, DMatrixRMaj crossU) {
        static Bases of(TransformerModel model, TransformerModel reference, boolean fold) {
            EmbeddingGrams gt = EmbeddingGrams.compute(model, fold);
            EmbeddingGrams gr = EmbeddingGrams.compute(reference, fold);
            DMatrixRMaj crossE = overlap(seenEmbedding(model, fold), seenEmbedding(reference, fold), gt.factorE(),
                    gr.factorE());
            DMatrixRMaj crossU = gt.tied() ? crossE : overlap(model.unembeddingTransposed(),
                    reference.unembeddingTransposed(), gt.factorU(), gr.factorU());
            return new Bases(gt, gr, crossE, crossU);
        }

        /** W_E as the Gram factors were taken of it: the normalised embedding when folded and the family has one. */
        private static RowMatrix seenEmbedding(TransformerModel m, boolean fold) {
            RowMatrix normalised = fold ? m.conventions().normalisedEmbedding() : null;
            return normalised == null ? m.embedding() : normalised;
        }

        /** Q_x^T Q_y = F_x^+T (x^T y) F_y^+: triangular solves for Cholesky factors, pseudo-inverses otherwise. */
        private static DMatrixRMaj overlap(RowMatrix x, RowMatrix y, GramFactor fx, GramFactor fy) {
            if (sameValues(x, y)) {
                return null;
            }
            DMatrixRMaj xy = TallProducts.standard().crossProduct(x, y);
            DMatrixRMaj left = fx.method() == GramFactor.Method.CHOLESKY
                    ? solveUpperTransposed(fx.factor(), xy) : multPinvTransposed(fx.factor(), xy);
            // left F_y^+ = (F_y^+T left^T)^T
            DMatrixRMaj leftT = CommonOps_DDRM.transpose(left, null);
            DMatrixRMaj out = fy.method() == GramFactor.Method.CHOLESKY
                    ? solveUpperTransposed(fy.factor(), leftT) : multPinvTransposed(fy.factor(), leftT);
            return CommonOps_DDRM.transpose(out, null);
        }

        private static DMatrixRMaj multPinvTransposed(DMatrixRMaj f, DMatrixRMaj b) {
            DMatrixRMaj p = new DMatrixRMaj(f.numCols, f.numRows);
            CommonOps_DDRM.pinv(f, p);
            DMatrixRMaj out = new DMatrixRMaj(p.numCols, b.numCols);
            CommonOps_DDRM.multTransA(p, b, out);
            return out;
        }

        /**
         * F^-T B for an upper triangular F: forward substitution, a whole row of B at a time (EJML's triangular
         * solvers take one vector at a time; a d = 4096 overlap would be 4096 of them).
         */
        static DMatrixRMaj solveUpperTransposed(DMatrixRMaj f, DMatrixRMaj b) {
            int d = f.numRows;
            int n = b.numCols;
            double[] y = b.data.clone();
            double[] fd = f.data;
            for (int i = 0; i < d; i++) {
                int yi = i * n;
                for (int j = 0; j < i; j++) {
                    double c = fd[j * d + i];
                    if (c != 0) {
                        int yj = j * n;
                        for (int col = 0; col < n; col++) {
                            y[yi + col] -= c * y[yj + col];
                        }
                    }
                }
                double diag = fd[i * d + i];
                for (int col = 0; col < n; col++) {
                    y[yi + col] /= diag;
                }
            }
            return DMatrixRMaj.wrap(d, n, y);
        }

        private static boolean sameValues(RowMatrix x, RowMatrix y) {
            if (x == y) {
                return true;
            }
            int panel = 256;
            double[] a = new double[panel * x.cols()];
            double[] b = new double[panel * y.cols()];
            for (int r = 0; r < x.rows(); r += panel) {
                int n = Math.min(panel, x.rows() - r);
                x.readRows(r, n, a);
                y.readRows(r, n, b);
                if (!Arrays.equals(a, 0, n * x.cols(), b, 0, n * y.cols())) {
                    return false;
                }
            }
            return true;
        }
    }
}

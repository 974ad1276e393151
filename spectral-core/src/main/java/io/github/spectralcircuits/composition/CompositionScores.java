package io.github.spectralcircuits.composition;

import io.github.spectralcircuits.circuits.GramFactor;
import io.github.spectralcircuits.circuits.HeadCores;
import io.github.spectralcircuits.circuits.LayerProducts;
import io.github.spectralcircuits.linalg.DenseProducts;
import io.github.spectralcircuits.model.LayerWeights;
import io.github.spectralcircuits.spectra.LayerObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;

/**
 * Composition scores of every pair of heads in an earlier and a later layer, modes Q, K and V, on the
 * (folded) weights, as TransformerLens defines them: |A B|_F / (|A|_F |B|_F) with A = W_V W_O of the
 * earlier head and B = W_Q W_K^T, its transpose, or W_V W_O of the later one. All d x d matrices are rank
 * d_head products U V^T, and no d x d matrix is formed per pair:
 * <pre>
 *   A = W_V W_O = Q_V R_V W_O               so |A X|_F = |R_V W_O X|_F        (Q_V: orthonormal columns)
 *   B = U V^T = U R_{V'}^T Q_{V'}^T          so |X B|_F = |X U R_{V'}^T|_F
 *   |A B|_F = |(R_V W_O) (U R_{V'}^T)|_F     a d_head x d_head block of one product per layer pair
 * </pre>
 * (U, V') = (W_Q, W_K) for Q, (W_K, W_Q) for K, (W_V, W_O^T) for V, and the norms |A|_F = |R_V R_{W_O^T}^T|_F,
 * |W_Q W_K^T|_F = |R_Q R_K^T|_F are d_head x d_head. As a {@link LayerObserver}, each layer on arrival is
 * multiplied, as the later layer, with every earlier layer's stacked R_V W_O ([H d_head, d], the only thing
 * kept per layer): one [H d_head, d] x [d, H d_head] product per layer pair and mode, d^3 multiply-adds for
 * multi-head attention. Sums of squares of a block's entries are the block's |.|_F^2 without cancellation.
 */
public final class CompositionScores implements LayerObserver {
    /** Control pairs per mode that the null distribution takes (see {@link #forControl}). */
    public static final int NULL_PAIRS = 128;

    private final int nHeads;
    private final int earlierHeads;
    /** How many of the analysed layers take part (all, or the control's first two). */
    private final int maxLayers;
    /** Layers taken so far. */
    private int seen;
    private final CompositionMatrices matrices;
    private final List<Earlier> earlier = new ArrayList<>();
    private final DenseProducts products = DenseProducts.standard();
    /** The later layer's right factors [Y_Q | Y_K | Y_V], d x 3 H d_head, reused from layer to layer. */
    private DMatrixRMaj right;

    /** One earlier layer: stacked R_V W_O [H dh, d] and each head's |W_V W_O|_F. */
    private record Earlier(int layer, DMatrixRMaj left, double[] ovNorms) {
    }

    public CompositionScores(int nLayers, int nHeads) {
        this(nLayers, nHeads, nHeads, Integer.MAX_VALUE);
    }

    /** Scores from the first earlierHeads heads of each earlier layer (to all heads of the later ones), of maxLayers layers. */
    private CompositionScores(int nLayers, int nHeads, int earlierHeads, int maxLayers) {
        this.nHeads = nHeads;
        this.earlierHeads = earlierHeads;
        this.maxLayers = maxLayers;
        this.matrices = CompositionMatrices.empty(nLayers, nHeads);
    }

    /**
     * For the random control: the pairs of its first two analysed layers only (layers 0 and 1 unless
     * {@code spectral.layers} selects others), from as many earlier heads as give
     * {@link #NULL_PAIRS} pairs (all H^2 when fewer). Why one layer pair stands for all: the control's
     * layers are independent draws of one law (Hugging Face's initialisation has the same standard deviation
     * in every layer, gains 1; GPT-2's smaller W_O is a scalar, to which scores are blind), so every control
     * layer pair's scores have the same distribution, and so do a layer's heads, which are exchangeable. The
     * null of each trained layer pair is therefore one sample of 128 pairs per mode (not 64 per layer pair as
     * before): the same law, a larger sample, the same reference for every layer pair (their z-scores share
     * it), at one layer pair's share of the work instead of all of them (TinyStories-33M: 8 of 16 earlier
     * heads of 1 of 6 layer pairs, a twelfth of the trained model's products).
     */
    public static CompositionScores forControl(int nLayers, int nHeads) {
        return new CompositionScores(nLayers, nHeads, controlEarlierHeads(nHeads), 2);
    }

    /** The earlier heads of the control's sample: as many as give {@link #NULL_PAIRS} pairs, all when H^2 is fewer. */
    public static int controlEarlierHeads(int nHeads) {
        return Math.min(nHeads, (NULL_PAIRS + nHeads - 1) / nHeads);
    }

    /** Bytes the control's collector ({@link #forControl}) keeps between layers: its first layer's sampled heads. */
    public static long controlBytesKept(int nLayers, int nHeads, int dHead, int dModel) {
        return nLayers < 2 ? 0 : 8L * controlEarlierHeads(nHeads) * dHead * dModel;
    }

    /** Layers after the last one scored are of no use to this collector (the control's after its first two). */
    @Override
    public boolean wants(int layer) {
        return seen < maxLayers;
    }

    /** Bytes kept between layers for a model of these sizes: every layer's R_V W_O but the last one's. */
    public static long bytesKept(int nLayers, int nHeads, int dHead, int dModel) {
        return 8L * Math.max(0, nLayers - 1) * nHeads * dHead * dModel;
    }

    /** Multiply-adds of all layer pairs and modes: 3 L(L-1)/2 (H dh)^2 d. */
    public static double multiplyAdds(int nLayers, int nHeads, int dHead, int dModel) {
        double hd = (double) nHeads * dHead;
        return 3.0 * nLayers * (nLayers - 1) / 2 * hd * hd * dModel;
    }

    @Override
    public void layer(LayerWeights w, List<HeadCores> cores) {
        int d = w.wQ().numRows;
        int dh = w.dHead();
        int h = w.nHeads();
        int kvHeads = w.nKvHeads();
        // as the later layer of a pair only when an earlier one was kept; as the earlier one unless it is the last
        if (seen >= maxLayers) {
            return;
        }
        seen++;
        boolean later = !earlier.isEmpty();
        boolean kept = seen < maxLayers && w.layer() < matrices.nLayers() - 1;
        if (!later && !kept) {
            return;
        }
        // the weights come with the norms folded in (and the embedding's scale, to which every score is blind)
        DMatrixRMaj wQ = w.wQ();
        DMatrixRMaj wK = w.wK();
        DMatrixRMaj wV = w.wV();
        DMatrixRMaj[] rQ = new DMatrixRMaj[h];
        DMatrixRMaj[] rO = new DMatrixRMaj[h];
        DMatrixRMaj[] rK = new DMatrixRMaj[kvHeads];
        DMatrixRMaj[] rV = new DMatrixRMaj[kvHeads];
        // the factors are independent d x d_head Grams and their Cholesky factors: spread over the cores
        // (R_Q and R_K only enter the layer's role as the later one)
        IntStream.range(0, 2 * kvHeads + 2 * h).parallel().forEach(t -> {
            if (t < kvHeads) {
                rV[t] = factor(wV, t, dh);
            } else if (t < 2 * kvHeads) {
                rK[t - kvHeads] = later ? factor(wK, t - kvHeads, dh) : null;
            } else if (t < 2 * kvHeads + h) {
                rO[t - 2 * kvHeads] = factor(rowsTransposed(w.wO(), t - 2 * kvHeads, dh), 0, dh);
            } else {
                rQ[t - 2 * kvHeads - h] = later ? factor(wQ, t - 2 * kvHeads - h, dh) : null;
            }
        });
        double[] ovNorms = new double[h];
        double[] qkNorms = new double[h];
        for (int b = 0; b < h; b++) {
            int kv = w.kvHeadOf(b);
            ovNorms[b] = NormOps_DDRM.normF(timesTransB(rV[kv], rO[b]));
            qkNorms[b] = later ? NormOps_DDRM.normF(timesTransB(rQ[b], rK[kv])) : Double.NaN;
        }
        if (later) {
            scoreAgainstEarlier(w, wQ, wK, wV, rQ, rK, rO, qkNorms, ovNorms);
        }
        if (kept) {
            DMatrixRMaj left = new DMatrixRMaj(earlierHeads * dh, d);
            DMatrixRMaj wO = w.wO();
            IntStream.range(0, earlierHeads).parallel().forEach(a -> CommonOps_DDRM.insert(
                    timesRows(rV[w.kvHeadOf(a)], CommonOps_DDRM.extract(wO, a * dh, (a + 1) * dh, 0, d)), left, a * dh, 0));
            earlier.add(new Earlier(w.layer(), left, ovNorms));
        }
    }

    /** This layer as the later one of each pair: its right factors against every earlier layer's left one. */
    private void scoreAgainstEarlier(LayerWeights w, DMatrixRMaj wQ, DMatrixRMaj wK, DMatrixRMaj wV, DMatrixRMaj[] rQ,
                                     DMatrixRMaj[] rK, DMatrixRMaj[] rO, double[] qkNorms, double[] ovNorms) {
        int d = wQ.numRows;
        int dh = w.dHead();
        int h = w.nHeads();
        // the three modes' right factors side by side [Y_Q | Y_K | Y_V], so that one product per earlier layer
        // packs that layer's factor once for all three
        int width = h * dh;
        // one task per head and mode: R times the head's columns of W, transposed (rows of d entries, on which
        // the JIT's SIMD works), then written into the head's columns; no d x d temporary
        if (right == null || right.numRows != d || right.numCols != 3 * width) {
            right = new DMatrixRMaj(d, 3 * width);
        }
        DMatrixRMaj out = right;
        IntStream.range(0, 3 * h).parallel().forEach(t -> {
            int b = t % h;
            int kv = w.kvHeadOf(b);
            CompositionMode mode = CompositionMode.values()[t / h];
            DMatrixRMaj block = switch (mode) {
                case Q -> timesRows(rK[kv], columnsTransposed(wQ, b, dh));
                case K -> timesRows(rQ[b], columnsTransposed(wK, kv, dh));
                case V -> timesRows(rO[b], columnsTransposed(wV, kv, dh));
            };
            insertTransposed(block, out, mode.ordinal() * width + b * dh);
        });
        for (Earlier e : earlier) {
            DMatrixRMaj m = product(e.left(), right);
            for (CompositionMode mode : CompositionMode.values()) {
                double[] norms = mode == CompositionMode.V ? ovNorms : qkNorms;
                for (int a = 0; a < earlierHeads; a++) {
                    for (int b = 0; b < h; b++) {
                        double denominator = e.ovNorms()[a] * norms[b];
                        double score = denominator > 0
                                ? Math.sqrt(blockSquares(m, a, mode.ordinal() * h + b, dh)) / denominator : Double.NaN;
                        matrices.set(mode, e.layer(), a, w.layer(), b, score);
                    }
                }
            }
        }
    }

    /**
     * left x right; a square left factor (every head of a multi-head layer, H d_head = d) goes to the native BLAS
     * when the analysis loaded one for a model this large (7B: 2 10^11 multiply-adds per layer pair, about 40 %
     * faster there than the own kernel), copied to native memory for this one product, d^2 against 3 d^3 of work.
     */
    private DMatrixRMaj product(DMatrixRMaj left, DMatrixRMaj right) {
        if (left.numRows != left.numCols) {
            return products.mult(left, right);
        }
        try (DenseProducts.Factor f = products.factor(left, false)) {
            return f.times(right);
        }
    }

    /** Drops the factors kept between layers once the last layer has been seen: only the scores are needed after. */
    public void releaseFactors() {
        earlier.clear();
        right = null;
        seen = maxLayers;
    }

    public CompositionMatrices matrices() {
        return matrices;
    }

    /**
     * An upper triangular R with R^T R = W_b^T W_b for column block b of w: the Cholesky factor of the block's
     * Gram matrix (on the packed kernel; EJML's Cholesky), which is a thin QR's R up to the signs of its rows, and all the
     * scores need (only |X R^T|_F enters them). A rank-deficient block (a dead head) takes the Householder QR.
     */
    private DMatrixRMaj factor(DMatrixRMaj w, int b, int dh) {
        DMatrixRMaj gram = products.multTransABlocks(w, b * dh, dh, w, b * dh, dh);
        // the QR of the block itself when the Gram is singular: clamping the Gram's eigenvalues would square
        // the block's condition number into the factor
        GramFactor f = GramFactor.of(gram);
        return f.method() == GramFactor.Method.CHOLESKY ? f.factor() : LayerProducts.rFactor(block(w, b, dh));
    }

    private static double blockSquares(DMatrixRMaj m, int a, int b, int dh) {
        double s = 0;
        for (int i = a * dh; i < (a + 1) * dh; i++) {
            int row = i * m.numCols + b * dh;
            for (int j = 0; j < dh; j++) {
                double x = m.data[row + j];
                s += x * x;
            }
        }
        return s;
    }

    /**
     * r m for an n x n r and an n-row m, on the packed kernel (as (r^T)^T m) on the calling thread: the callers
     * run one head per task.
     */
    private DMatrixRMaj timesRows(DMatrixRMaj r, DMatrixRMaj m) {
        return products.multTransABlocks(CommonOps_DDRM.transpose(r, null), 0, r.numRows, m, 0, m.numCols);
    }

    /** Column block b (dh wide) of w, transposed: dh x rows. */
    private static DMatrixRMaj columnsTransposed(DMatrixRMaj w, int b, int dh) {
        DMatrixRMaj out = new DMatrixRMaj(dh, w.numRows);
        for (int i = 0; i < w.numRows; i++) {
            int wi = i * w.numCols + b * dh;
            for (int k = 0; k < dh; k++) {
                out.data[k * w.numRows + i] = w.data[wi + k];
            }
        }
        return out;
    }

    /** Row block b (dh high) of w, transposed: cols x dh. */
    private static DMatrixRMaj rowsTransposed(DMatrixRMaj w, int b, int dh) {
        DMatrixRMaj out = new DMatrixRMaj(w.numCols, dh);
        for (int k = 0; k < dh; k++) {
            int wk = (b * dh + k) * w.numCols;
            for (int i = 0; i < w.numCols; i++) {
                out.data[i * dh + k] = w.data[wk + i];
            }
        }
        return out;
    }

    /** out[:, col .. col + block.numRows) = block^T. */
    private static void insertTransposed(DMatrixRMaj block, DMatrixRMaj out, int col) {
        int n = block.numRows;
        int rows = block.numCols;
        for (int i = 0; i < rows; i++) {
            int oi = i * out.numCols + col;
            for (int j = 0; j < n; j++) {
                out.data[oi + j] = block.data[j * rows + i];
            }
        }
    }

    private static DMatrixRMaj timesTransB(DMatrixRMaj a, DMatrixRMaj b) {
        DMatrixRMaj c = new DMatrixRMaj(a.numRows, b.numRows);
        CommonOps_DDRM.multTransB(a, b, c);
        return c;
    }

    private static DMatrixRMaj block(DMatrixRMaj m, int block, int dh) {
        return CommonOps_DDRM.extract(m, 0, m.numRows, block * dh, (block + 1) * dh);
    }
}

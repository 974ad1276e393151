package io.github.spectralcircuits.circuits;

import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.linalg.DenseProducts;
import io.github.spectralcircuits.linalg.ThinQr;
import io.github.spectralcircuits.model.LayerWeights;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * One layer's products with the shared d x d matrices, taken for all heads at once (one d x d times
 * d x (H*dh) product each), from which every head's cores are cut out:
 * <pre>
 *   P_Q = F_E W_Q   [d, H*dh]     P_K = F_E W_K   [d, KV*dh]
 *   P_V = F_E W_V   [d, KV*dh]    CV  = C W_V     [d, KV*dh]     P_O = F_U W_O^T  [d, H*dh]
 *   (CV only when untied)
 *   QK core  = P_K[kv]^T P_Q[h]        QK singular core = R(P_Q[h]) R(P_K[kv])^T
 *   OV core  = W_O[h] CV[kv] (tied: P_O[h]^T P_V[kv])   OV singular core = R(P_V[kv]) R(P_O[h])^T
 * </pre>
 * Key/value products and their R factors are computed once per key/value head, whatever the number
 * of query heads sharing it (grouped-query attention). With a tied unembedding C = F_U^T F_E, so the OV
 * core is P_O[h]^T P_V[kv] and CV is not needed: four d x d products per layer instead of five.
 */
public final class LayerProducts implements HeadCoreSource {
    /**
     * Query columns (heads x d_head) a group of heads is cut to, at least one key/value head's worth:
     * at d_model 4096 a group's five products take 168 MB instead of 670 MB for the whole layer, and
     * products 1024 columns wide still run at the kernels' full speed. Smaller layers are one group.
     */
    public static final int GROUP_COLUMNS = 1024;

    /** Key/value heads per group of {@link #GROUP_COLUMNS} query columns (at least one). */
    public static int kvHeadsPerGroup(int nHeads, int nKvHeads, int dHead) {
        int queryColumnsPerKv = nHeads / nKvHeads * dHead;
        return Math.max(1, Math.min(nKvHeads, GROUP_COLUMNS / Math.max(1, queryColumnsPerKv)));
    }

    private final int layer;
    private final int dHead;
    private final LayerWeights weights;
    /** The kv heads [kvFrom, kvTo) and their query heads [qFrom, qTo) that these products cover. */
    private final int kvFrom;
    private final int qFrom;
    private final int qTo;
    private final DMatrixRMaj pQ;
    private final DMatrixRMaj pK;
    private final DMatrixRMaj pV;
    private final DMatrixRMaj cV;
    private final DMatrixRMaj pO;
    /** W_O's rows of these query heads (output norm folded in), transposed (d x heads*dh): the untied OV cores are oT[h]^T cV[kv]. */
    private final DMatrixRMaj oT;
    private final DMatrixRMaj[] rK;
    private final DMatrixRMaj[] rV;
    private final DenseProducts products;

    private LayerProducts(LayerWeights w, int kvFrom, int kvTo, DenseProducts products, DMatrixRMaj pQ, DMatrixRMaj pK,
                          DMatrixRMaj pV, DMatrixRMaj cV, DMatrixRMaj pO, DMatrixRMaj oT) {
        this.products = products;
        this.layer = w.layer();
        this.dHead = w.dHead();
        this.weights = w;
        this.kvFrom = kvFrom;
        int group = w.nHeads() / w.nKvHeads();
        this.qFrom = kvFrom * group;
        this.qTo = kvTo * group;
        this.pQ = pQ;
        this.pK = pK;
        this.pV = pV;
        this.cV = cV;
        this.pO = pO;
        this.oT = oT;
        this.rK = new DMatrixRMaj[kvTo - kvFrom];
        this.rV = new DMatrixRMaj[kvTo - kvFrom];
    }

    /** All heads of the layer, raw weights: nothing folded in (foldNorms=false). */
    public static LayerProducts raw(SharedProducts shared, LayerWeights w) {
        try (SharedFactors factors = SharedFactors.of(shared)) {
            return raw(factors, w, 0, w.nKvHeads());
        }
    }

    /** All heads of the layer with every gain folded in (see {@link #folded(SharedFactors, LayerWeights, double, int, int)}). */
    public static LayerProducts folded(SharedProducts shared, LayerWeights w, double embeddingScale) {
        try (SharedFactors factors = SharedFactors.of(shared)) {
            return folded(factors, w, embeddingScale, 0, w.nKvHeads());
        }
    }

    /** The key/value heads [kvFrom, kvTo) of the layer, raw weights (see {@link #folded(SharedFactors, LayerWeights, double, int, int)}). */
    public static LayerProducts raw(SharedFactors shared, LayerWeights w, int kvFrom, int kvTo) {
        return of(shared, w, null, null, null, null, kvFrom, kvTo);
    }

    /**
     * The products of the key/value heads [kvFrom, kvTo) and of the query heads that read them only, with every
     * gain of the layer folded in: the norm before attention and W_E's scale s into the rows of W_Q, W_K, W_V
     * (W_E s diag(g) W is (s W_E) diag(g) W, so the shared products of the stored W_E serve), the query and key
     * norms into the columns of W_Q and W_K, a norm on the attention's output into the columns of W_O. The
     * products are separable by columns, so a layer can be taken a group of heads at a time and its d x (H*dh)
     * products never sit in the heap whole (7B shapes: 134 MB each, five of them); the gains are folded into
     * the group's columns as they are cut out, so no folded copy of the whole layer is made either.
     */
    public static LayerProducts folded(SharedFactors shared, LayerWeights w, double embeddingScale, int kvFrom, int kvTo) {
        return of(shared, w, rowGain(w.attnNormGain(), embeddingScale, w.wQ().numRows), w.queryNormGain(),
                w.keyNormGain(), w.outputNormGain(), kvFrom, kvTo);
    }

    /**
     * The layer's weights with every gain folded in as {@link #folded} folds them, and no gains left: what
     * work riding on the spectra (token readouts, composition scores) must multiply, so that it describes the
     * circuits the spectra describe.
     */
    public static LayerWeights foldedWeights(LayerWeights w, double embeddingScale) {
        double[] rows = rowGain(w.attnNormGain(), embeddingScale, w.wQ().numRows);
        return new LayerWeights(w.layer(), w.nHeads(), w.nKvHeads(), w.dHead(), null,
                scaled(w.wQ(), rows, w.queryNormGain()),
                scaled(w.wK(), rows, w.keyNormGain()),
                scaled(w.wV(), rows, null),
                scaled(w.wO(), null, w.outputNormGain()), null, null, null);
    }

    /**
     * rows: folded into the rows of W_Q, W_K, W_V; queryCols, keyCols: into the columns of W_Q, W_K (all
     * H*dh, KV*dh of them); outputCols: into the columns of W_O (d); each null for none.
     */
    private static LayerProducts of(SharedFactors shared, LayerWeights w, double[] rows, double[] queryCols,
                                    double[] keyCols, double[] outputCols, int kvFrom, int kvTo) {
        if (kvFrom < 0 || kvTo > w.nKvHeads() || kvFrom >= kvTo) {
            throw new IllegalArgumentException("key/value heads [" + kvFrom + ", " + kvTo + ") of " + w.nKvHeads());
        }
        int group = w.nHeads() / w.nKvHeads();
        int dh = w.dHead();
        int q0 = kvFrom * group * dh;
        int q1 = kvTo * group * dh;
        DMatrixRMaj q = scaledColumns(w.wQ(), rows, queryCols, q0, q1);
        DMatrixRMaj pQ = shared.factorE().times(q);
        q = null;
        DMatrixRMaj k = scaledColumns(w.wK(), rows, keyCols, kvFrom * dh, kvTo * dh);
        DMatrixRMaj pK = shared.factorE().times(k);
        k = null;
        DMatrixRMaj v = scaledColumns(w.wV(), rows, null, kvFrom * dh, kvTo * dh);
        DMatrixRMaj pV = shared.factorE().times(v);
        DMatrixRMaj cV = shared.cross() == null ? null : shared.cross().times(v);
        v = null;
        DMatrixRMaj oT = transposedRows(w.wO(), outputCols, q0, q1);
        DMatrixRMaj pO = shared.factorU().times(oT);
        LayerProducts products = new LayerProducts(w, kvFrom, kvTo, DenseProducts.standard(), pQ, pK, pV, cV, pO,
                cV == null ? null : oT);
        products.factorKeyValueHeads();
        return products;
    }

    /** s * gain, or null when that is the identity. */
    static double[] rowGain(double[] gain, double scale, int d) {
        if (gain == null && scale == 1.0) {
            return null;
        }
        double[] g = new double[d];
        for (int i = 0; i < d; i++) {
            g[i] = scale * (gain == null ? 1.0 : gain[i]);
        }
        return g;
    }

    /** The query heads these products cover: [firstHead(), endHead()). */
    @Override
    public int firstHead() {
        return qFrom;
    }

    @Override
    public int endHead() {
        return qTo;
    }

    /** The key/value heads' R factors up front, in parallel, so that head(h) is safe to call from several threads. */
    private void factorKeyValueHeads() {
        IntStream.range(0, 2 * rK.length).parallel().forEach(i -> {
            int kv = i / 2;
            if (i % 2 == 0) {
                rK[kv] = rFactor(pK, kv);
            } else {
                rV[kv] = rFactor(pV, kv);
            }
        });
    }

    /**
     * diag(rows) m diag(cols) as a new matrix, either gain null for none; the matrix itself when both
     * are null.
     */
    public static DMatrixRMaj scaled(DMatrixRMaj m, double[] rows, double[] cols) {
        return scaledColumns(m, rows, cols, 0, m.numCols);
    }

    /**
     * Columns [from, to) of diag(rows) m diag(cols) in one pass, either gain null for none (cols has all of
     * m's columns); m itself when that is all of it, unscaled.
     */
    static DMatrixRMaj scaledColumns(DMatrixRMaj m, double[] rows, double[] cols, int from, int to) {
        if ((rows != null && rows.length != m.numRows) || (cols != null && cols.length != m.numCols)) {
            throw new IllegalArgumentException("norm gains of " + (rows == null ? "-" : rows.length) + " rows and "
                    + (cols == null ? "-" : cols.length) + " columns for a " + m.numRows + "x" + m.numCols + " weight");
        }
        if (rows == null && cols == null && from == 0 && to == m.numCols) {
            return m;
        }
        int width = m.numCols;
        int out = to - from;
        double[] src = m.data;
        double[] dst = new double[m.numRows * out];
        for (int i = 0; i < m.numRows; i++) {
            double g = rows == null ? 1.0 : rows[i];
            int row = i * width + from;
            int o = i * out;
            if (cols == null) {
                for (int j = 0; j < out; j++) {
                    dst[o + j] = src[row + j] * g;
                }
            } else {
                for (int j = 0; j < out; j++) {
                    dst[o + j] = src[row + j] * g * cols[from + j];
                }
            }
        }
        return DMatrixRMaj.wrap(m.numRows, out, dst);
    }

    /** Rows [from, to) of m diag(cols), transposed (m.numCols x (to - from)); cols null for none. */
    static DMatrixRMaj transposedRows(DMatrixRMaj m, double[] cols, int from, int to) {
        int width = m.numCols;
        if (cols != null && cols.length != width) {
            throw new IllegalArgumentException("output norm gain has " + cols.length + " entries, the weight has " + width + " columns");
        }
        int out = to - from;
        double[] src = m.data;
        double[] dst = new double[width * out];
        for (int r = 0; r < out; r++) {
            int in = (from + r) * width;
            for (int c = 0; c < width; c++) {
                dst[c * out + r] = cols == null ? src[in + c] : src[in + c] * cols[c];
            }
        }
        return DMatrixRMaj.wrap(width, out, dst);
    }

    /** One head's cores; safe to call concurrently for different heads of [firstHead(), endHead()). */
    @Override
    public HeadCores head(int h) {
        checkCovered(h);
        int kv = weights.kvHeadOf(h);
        int kvLocal = kv - kvFrom;
        int hLocal = h - qFrom;
        DMatrixRMaj qkCore = blockTransAB(pK, kvLocal, pQ, hLocal);
        DMatrixRMaj qkSingular = new DMatrixRMaj(dHead, dHead);
        DMatrixRMaj rQ = rFactor(pQ, hLocal);
        CommonOps_DDRM.multTransB(rQ, rK[kvLocal], qkSingular);
        // untied: W_O[h] CV[kv] = (W_O[h]^T)^T CV[kv] on the packed kernel (a plain loop took 1 s per 7B layer)
        DMatrixRMaj ovCore = cV == null ? blockTransAB(pO, hLocal, pV, kvLocal) : blockTransAB(oT, hLocal, cV, kvLocal);
        DMatrixRMaj ovSingular = new DMatrixRMaj(dHead, dHead);
        DMatrixRMaj rO = rFactor(pO, hLocal);
        CommonOps_DDRM.multTransB(rV[kvLocal], rO, ovSingular);
        return new HeadCores(layer, h, kv, qkCore, qkSingular, ovCore, ovSingular, rQ, rK[kvLocal], rV[kvLocal], rO);
    }

    /**
     * Head h's circuits as products of d x d_head factors in the orthonormal bases of the embedding and the
     * unembedding: QK = Q_E P_Q[h] P_K[kv]^T Q_E^T and OV = Q_E P_V[kv] P_O[h]^T Q_U^T, where W_E = Q_E F_E and
     * W_U^T = Q_U F_U (F the unfolded Gram factors, Q with orthonormal columns on their range), with each
     * factor's thin-QR R (the same R the singular cores are made of). Copies, for what needs the circuits'
     * singular vectors (the reference comparison), not only their values. Safe to call concurrently for
     * different heads of [firstHead(), endHead()).
     */
    public HeadFactors headFactors(int h) {
        checkCovered(h);
        int kv = weights.kvHeadOf(h);
        int kvLocal = kv - kvFrom;
        int hLocal = h - qFrom;
        return new HeadFactors(layer, h, kv, block(pQ, hLocal), block(pK, kvLocal), block(pV, kvLocal), block(pO, hLocal),
                rFactor(pQ, hLocal), rK[kvLocal].copy(), rV[kvLocal].copy(), rFactor(pO, hLocal));
    }

    private void checkCovered(int h) {
        if (h < qFrom || h >= qTo) {
            throw new IllegalArgumentException("head " + h + " is not among the heads [" + qFrom + ", " + qTo + ") of these products");
        }
    }

    private DMatrixRMaj block(DMatrixRMaj m, int b) {
        return CommonOps_DDRM.extract(m, 0, m.numRows, b * dHead, (b + 1) * dHead);
    }

    /** A[:, block a]^T B[:, block b] (dh x dh) on the packed kernel, straight from the layer products. */
    private DMatrixRMaj blockTransAB(DMatrixRMaj a, int blockA, DMatrixRMaj b, int blockB) {
        return products.multTransABlocks(a, blockA * dHead, dHead, b, blockB * dHead, dHead);
    }

    /** The R factor of column block {@code block} of a layer product, copied out column by column first. */
    private DMatrixRMaj rFactor(DMatrixRMaj m, int block) {
        return checkedR(ThinQr.rFactor(columnMajor(m, block * dHead, dHead), m.numRows, dHead), m.numRows, dHead);
    }

    /**
     * A dh x dh factor T with A = Q T, Q with orthonormal columns, of a d x dh matrix (d >= dh): the R of
     * a thin QR (Householder, {@link ThinQr}), so that A A'^T and T T'^T share singular values. A zero
     * column (a dead head or a zero-padded one) is fine: it gets a zero on the diagonal.
     */
    public static DMatrixRMaj rFactor(DMatrixRMaj a) {
        return checkedR(ThinQr.rFactor(columnMajor(a, 0, a.numCols), a.numRows, a.numCols), a.numRows, a.numCols);
    }

    /** Columns [from, from + count) of m, column by column (the layout ThinQr works on). */
    private static double[] columnMajor(DMatrixRMaj m, int from, int count) {
        int rows = m.numRows;
        int width = m.numCols;
        double[] src = m.data;
        double[] a = new double[rows * count];
        for (int r = 0; r < rows; r++) {
            int s = r * width + from;
            for (int c = 0; c < count; c++) {
                a[c * rows + r] = src[s + c];
            }
        }
        return a;
    }

    private static DMatrixRMaj checkedR(double[] r, int rows, int n) {
        for (double x : r) {
            if (!Double.isFinite(x)) {
                throw new SpectralException("The QR factorisation of a " + rows + "x" + n + " head product gave "
                        + "non-finite values; check the attention and embedding weights for NaN or extreme values.");
            }
        }
        return DMatrixRMaj.wrap(n, n, r);
    }
}

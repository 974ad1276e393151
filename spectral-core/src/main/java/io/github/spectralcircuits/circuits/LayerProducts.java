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
public final class LayerProducts {
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
    /** W_O's rows of these query heads, transposed (d x heads*dh): the untied OV cores are oT[h]^T cV[kv]. */
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

    /**
     * All heads of the layer at once.
     *
     * @param attnGain the gain of the norm before attention, folded into the rows of W_Q, W_K, W_V;
     *                 null for raw weights
     */
    public static LayerProducts of(SharedProducts shared, LayerWeights w, double[] attnGain) {
        return of(shared, w, attnGain, 0, w.nKvHeads());
    }

    /**
     * The products of the key/value heads [kvFrom, kvTo) and of the query heads that read them only: the
     * products are separable by columns, so a layer can be taken a group of heads at a time and its
     * d x (H*dh) products never sit in the heap whole (7B shapes: 134 MB each, five of them).
     */
    public static LayerProducts of(SharedProducts shared, LayerWeights w, double[] attnGain, int kvFrom, int kvTo) {
        try (SharedFactors factors = SharedFactors.of(shared)) {
            return of(factors, w, attnGain, kvFrom, kvTo);
        }
    }

    /** As {@link #of(SharedProducts, LayerWeights, double[], int, int)} with the shared operands already prepared. */
    public static LayerProducts of(SharedFactors shared, LayerWeights w, double[] attnGain, int kvFrom, int kvTo) {
        if (kvFrom < 0 || kvTo > w.nKvHeads() || kvFrom >= kvTo) {
            throw new IllegalArgumentException("key/value heads [" + kvFrom + ", " + kvTo + ") of " + w.nKvHeads());
        }
        int group = w.nHeads() / w.nKvHeads();
        int dh = w.dHead();
        int q0 = kvFrom * group * dh;
        int q1 = kvTo * group * dh;
        DMatrixRMaj q = scaledColumns(w.wQ(), attnGain, q0, q1);
        DMatrixRMaj k = scaledColumns(w.wK(), attnGain, kvFrom * dh, kvTo * dh);
        DMatrixRMaj v = scaledColumns(w.wV(), attnGain, kvFrom * dh, kvTo * dh);
        DMatrixRMaj pQ = shared.factorE().times(q);
        q = null;
        DMatrixRMaj pK = shared.factorE().times(k);
        k = null;
        DMatrixRMaj pV = shared.factorE().times(v);
        DMatrixRMaj cV = shared.cross() == null ? null : shared.cross().times(v);
        v = null;
        DMatrixRMaj oT = transposedRows(w.wO(), q0, q1);
        DMatrixRMaj pO = shared.factorU().times(oT);
        LayerProducts products = new LayerProducts(w, kvFrom, kvTo, DenseProducts.standard(), pQ, pK, pV, cV, pO,
                cV == null ? null : oT);
        products.factorKeyValueHeads();
        return products;
    }

    /** The query heads these products cover: [firstHead(), endHead()). */
    public int firstHead() {
        return qFrom;
    }

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

    /** The layer's matrix with row i scaled by gain[i]; the matrix itself when gain is null. */
    static DMatrixRMaj scaleRows(DMatrixRMaj m, double[] gain) {
        return gain == null ? m : scaledColumns(m, gain, 0, m.numCols);
    }

    /**
     * Columns [from, to) of m with row i scaled by gain[i] (not scaled when gain is null), in one pass;
     * m itself when that is all of it, unscaled.
     */
    static DMatrixRMaj scaledColumns(DMatrixRMaj m, double[] gain, int from, int to) {
        if (gain != null && gain.length != m.numRows) {
            throw new IllegalArgumentException("norm gain has " + gain.length + " entries, the weight has " + m.numRows + " rows");
        }
        if (gain == null && from == 0 && to == m.numCols) {
            return m;
        }
        int cols = m.numCols;
        int width = to - from;
        double[] src = m.data;
        double[] dst = new double[m.numRows * width];
        for (int i = 0; i < m.numRows; i++) {
            double g = gain == null ? 1.0 : gain[i];
            int row = i * cols + from;
            int out = i * width;
            for (int j = 0; j < width; j++) {
                dst[out + j] = src[row + j] * g;
            }
        }
        return DMatrixRMaj.wrap(m.numRows, width, dst);
    }

    /** Rows [from, to) of m, transposed (m.numCols x (to - from)). */
    static DMatrixRMaj transposedRows(DMatrixRMaj m, int from, int to) {
        int cols = m.numCols;
        int width = to - from;
        double[] src = m.data;
        double[] dst = new double[cols * width];
        for (int r = 0; r < width; r++) {
            int in = (from + r) * cols;
            for (int c = 0; c < cols; c++) {
                dst[c * width + r] = src[in + c];
            }
        }
        return DMatrixRMaj.wrap(cols, width, dst);
    }

    /** One head's cores; safe to call concurrently for different heads of [firstHead(), endHead()). */
    public HeadCores head(int h) {
        if (h < qFrom || h >= qTo) {
            throw new IllegalArgumentException("head " + h + " is not among the heads [" + qFrom + ", " + qTo + ") of these products");
        }
        int kv = weights.kvHeadOf(h);
        int kvLocal = kv - kvFrom;
        int hLocal = h - qFrom;
        DMatrixRMaj qkCore = blockTransAB(pK, kvLocal, pQ, hLocal);
        DMatrixRMaj qkSingular = new DMatrixRMaj(dHead, dHead);
        CommonOps_DDRM.multTransB(rFactor(pQ, hLocal), rK[kvLocal], qkSingular);
        // untied: W_O[h] CV[kv] = (W_O[h]^T)^T CV[kv] on the packed kernel (a plain loop took 1 s per 7B layer)
        DMatrixRMaj ovCore = cV == null ? blockTransAB(pO, hLocal, pV, kvLocal) : blockTransAB(oT, hLocal, cV, kvLocal);
        DMatrixRMaj ovSingular = new DMatrixRMaj(dHead, dHead);
        CommonOps_DDRM.multTransB(rV[kvLocal], rFactor(pO, hLocal), ovSingular);
        return new HeadCores(layer, h, kv, qkCore, qkSingular, ovCore, ovSingular);
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
    static DMatrixRMaj rFactor(DMatrixRMaj a) {
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

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
    private final int layer;
    private final int dHead;
    private final LayerWeights weights;
    private final DMatrixRMaj wO;
    private final DMatrixRMaj pQ;
    private final DMatrixRMaj pK;
    private final DMatrixRMaj pV;
    private final DMatrixRMaj cV;
    private final DMatrixRMaj pO;
    private final DMatrixRMaj[] rK;
    private final DMatrixRMaj[] rV;
    private final DenseProducts products;

    private LayerProducts(LayerWeights w, DMatrixRMaj wO, DenseProducts products, DMatrixRMaj pQ, DMatrixRMaj pK, DMatrixRMaj pV, DMatrixRMaj cV, DMatrixRMaj pO) {
        this.products = products;
        this.layer = w.layer();
        this.dHead = w.dHead();
        this.weights = w;
        this.wO = wO;
        this.pQ = pQ;
        this.pK = pK;
        this.pV = pV;
        this.cV = cV;
        this.pO = pO;
        this.rK = new DMatrixRMaj[w.nKvHeads()];
        this.rV = new DMatrixRMaj[w.nKvHeads()];
    }

    /** The raw weights: nothing folded in (foldNorms=false). */
    public static LayerProducts raw(SharedProducts shared, LayerWeights w) {
        return of(shared, w, w.wQ(), w.wK(), w.wV(), w.wO());
    }

    /**
     * Every gain of the layer folded in: the norm before attention and W_E's scale s into the rows of
     * W_Q, W_K, W_V (W_E s diag(g) W is (s W_E) diag(g) W, so the shared products of the stored W_E serve),
     * the query and key norms into the columns of W_Q and W_K, a norm on the attention's output into the
     * columns of W_O.
     */
    public static LayerProducts folded(SharedProducts shared, LayerWeights w, double embeddingScale) {
        LayerWeights f = foldedWeights(w, embeddingScale);
        return of(shared, w, f.wQ(), f.wK(), f.wV(), f.wO());
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

    private static LayerProducts of(SharedProducts shared, LayerWeights w, DMatrixRMaj q, DMatrixRMaj k, DMatrixRMaj v,
                                    DMatrixRMaj o) {
        DenseProducts mm = DenseProducts.standard();
        DMatrixRMaj pQ = factorTimes(mm, shared.factorE(), shared.factorEUpper(), q);
        DMatrixRMaj pK = factorTimes(mm, shared.factorE(), shared.factorEUpper(), k);
        DMatrixRMaj pV = factorTimes(mm, shared.factorE(), shared.factorEUpper(), v);
        DMatrixRMaj cV = shared.tied() ? null : mm.mult(shared.cross(), v);
        DMatrixRMaj pO = factorTimes(mm, shared.factorU(), shared.factorUUpper(), CommonOps_DDRM.transpose(o, null));
        LayerProducts products = new LayerProducts(w, o, mm, pQ, pK, pV, cV, pO);
        products.factorKeyValueHeads();
        return products;
    }

    /** s * gain, or null when that is the identity. */
    private static double[] rowGain(double[] gain, double scale, int d) {
        if (gain == null && scale == 1.0) {
            return null;
        }
        double[] g = new double[d];
        for (int i = 0; i < d; i++) {
            g[i] = scale * (gain == null ? 1.0 : gain[i]);
        }
        return g;
    }

    private static DMatrixRMaj factorTimes(DenseProducts mm, DMatrixRMaj factor, boolean upper, DMatrixRMaj m) {
        return upper ? mm.multUpperTriangular(factor, m) : mm.mult(factor, m);
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
    static DMatrixRMaj scaled(DMatrixRMaj m, double[] rows, double[] cols) {
        if (rows == null && cols == null) {
            return m;
        }
        if ((rows != null && rows.length != m.numRows) || (cols != null && cols.length != m.numCols)) {
            throw new IllegalArgumentException("norm gains of " + (rows == null ? "-" : rows.length) + " rows and "
                    + (cols == null ? "-" : cols.length) + " columns for a " + m.numRows + "x" + m.numCols + " weight");
        }
        int width = m.numCols;
        double[] src = m.data;
        double[] dst = new double[m.numRows * width];
        for (int i = 0; i < m.numRows; i++) {
            double g = rows == null ? 1.0 : rows[i];
            int row = i * width;
            for (int j = 0; j < width; j++) {
                dst[row + j] = src[row + j] * g * (cols == null ? 1.0 : cols[j]);
            }
        }
        return DMatrixRMaj.wrap(m.numRows, width, dst);
    }

    /** One head's cores; safe to call concurrently for different heads. */
    public HeadCores head(int h) {
        int kv = weights.kvHeadOf(h);
        DMatrixRMaj qkCore = blockTransAB(pK, kv, pQ, h);
        DMatrixRMaj qkSingular = new DMatrixRMaj(dHead, dHead);
        DMatrixRMaj rQ = rFactor(pQ, h);
        CommonOps_DDRM.multTransB(rQ, rK[kv], qkSingular);
        DMatrixRMaj ovCore = cV == null ? blockTransAB(pO, h, pV, kv) : outputRowsTimes(h, cV, kv);
        DMatrixRMaj ovSingular = new DMatrixRMaj(dHead, dHead);
        DMatrixRMaj rO = rFactor(pO, h);
        CommonOps_DDRM.multTransB(rV[kv], rO, ovSingular);
        return new HeadCores(layer, h, kv, qkCore, qkSingular, ovCore, ovSingular, rQ, rK[kv], rV[kv], rO);
    }

    /**
     * Head h's circuits as products of d x d_head factors in the orthonormal bases of the embedding and the
     * unembedding: QK = Q_E P_Q[h] P_K[kv]^T Q_E^T and OV = Q_E P_V[kv] P_O[h]^T Q_U^T, where W_E = Q_E F_E and
     * W_U^T = Q_U F_U (F the unfolded Gram factors, Q with orthonormal columns on their range), with each
     * factor's thin-QR R (the same R the singular cores are made of). Copies, for what needs the circuits'
     * singular vectors (the reference comparison), not only their values. Safe to call concurrently.
     */
    public HeadFactors headFactors(int h) {
        int kv = weights.kvHeadOf(h);
        return new HeadFactors(layer, h, kv, block(pQ, h), block(pK, kv), block(pV, kv), block(pO, h),
                rFactor(pQ, h), rK[kv].copy(), rV[kv].copy(), rFactor(pO, h));
    }

    private DMatrixRMaj block(DMatrixRMaj m, int b) {
        return CommonOps_DDRM.extract(m, 0, m.numRows, b * dHead, (b + 1) * dHead);
    }

    /** A[:, block a]^T B[:, block b] (dh x dh) on the packed kernel, straight from the layer products. */
    private DMatrixRMaj blockTransAB(DMatrixRMaj a, int blockA, DMatrixRMaj b, int blockB) {
        return products.multTransABlocks(a, blockA * dHead, dHead, b, blockB * dHead, dHead);
    }

    /** W_O[h] M[:, block] (dh x dh) for the untied OV core, W_O[h] being rows h*dh.. of the (folded) W_O. */
    private DMatrixRMaj outputRowsTimes(int h, DMatrixRMaj m, int block) {
        int d = wO.numCols;
        int wm = m.numCols;
        double[] od = wO.data;
        double[] md = m.data;
        double[] c = new double[dHead * dHead];
        for (int i = 0; i < dHead; i++) {
            int oi = (h * dHead + i) * d;
            int ci = i * dHead;
            for (int r = 0; r < d; r++) {
                double x = od[oi + r];
                int mr = r * wm + block * dHead;
                for (int j = 0; j < dHead; j++) {
                    c[ci + j] += x * md[mr + j];
                }
            }
        }
        return DMatrixRMaj.wrap(dHead, dHead, c);
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

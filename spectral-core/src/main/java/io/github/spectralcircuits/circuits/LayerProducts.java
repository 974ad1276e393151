package io.github.spectralcircuits.circuits;

import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.linalg.DenseProducts;
import io.github.spectralcircuits.model.LayerWeights;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

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
    private final DMatrixRMaj pQ;
    private final DMatrixRMaj pK;
    private final DMatrixRMaj pV;
    private final DMatrixRMaj cV;
    private final DMatrixRMaj pO;
    private final DMatrixRMaj[] rK;
    private final DMatrixRMaj[] rV;

    private LayerProducts(LayerWeights w, DMatrixRMaj pQ, DMatrixRMaj pK, DMatrixRMaj pV, DMatrixRMaj cV, DMatrixRMaj pO) {
        this.layer = w.layer();
        this.dHead = w.dHead();
        this.weights = w;
        this.pQ = pQ;
        this.pK = pK;
        this.pV = pV;
        this.cV = cV;
        this.pO = pO;
        this.rK = new DMatrixRMaj[w.nKvHeads()];
        this.rV = new DMatrixRMaj[w.nKvHeads()];
    }

    /**
     * @param attnGain the gain of the norm before attention, folded into the rows of W_Q, W_K, W_V;
     *                 null for raw weights
     */
    public static LayerProducts of(SharedProducts shared, LayerWeights w, double[] attnGain) {
        DMatrixRMaj q = scaleRows(w.wQ(), attnGain);
        DMatrixRMaj k = scaleRows(w.wK(), attnGain);
        DMatrixRMaj v = scaleRows(w.wV(), attnGain);
        DenseProducts mm = DenseProducts.standard();
        DMatrixRMaj pQ = factorTimes(mm, shared.factorE(), shared.factorEUpper(), q);
        DMatrixRMaj pK = factorTimes(mm, shared.factorE(), shared.factorEUpper(), k);
        DMatrixRMaj pV = factorTimes(mm, shared.factorE(), shared.factorEUpper(), v);
        DMatrixRMaj cV = shared.tied() ? null : mm.mult(shared.cross(), v);
        DMatrixRMaj pO = factorTimes(mm, shared.factorU(), shared.factorUUpper(), CommonOps_DDRM.transpose(w.wO(), null));
        LayerProducts products = new LayerProducts(w, pQ, pK, pV, cV, pO);
        products.factorKeyValueHeads();
        return products;
    }

    private static DMatrixRMaj factorTimes(DenseProducts mm, DMatrixRMaj factor, boolean upper, DMatrixRMaj m) {
        return upper ? mm.multUpperTriangular(factor, m) : mm.mult(factor, m);
    }

    /** The key/value heads' R factors up front, in parallel, so that head(h) is safe to call from several threads. */
    private void factorKeyValueHeads() {
        IntStream.range(0, 2 * rK.length).parallel().forEach(i -> {
            int kv = i / 2;
            if (i % 2 == 0) {
                rK[kv] = rFactor(columns(pK, kv));
            } else {
                rV[kv] = rFactor(columns(pV, kv));
            }
        });
    }

    /** The layer's matrix with row i scaled by gain[i]; the matrix itself when gain is null. */
    static DMatrixRMaj scaleRows(DMatrixRMaj m, double[] gain) {
        if (gain == null) {
            return m;
        }
        if (gain.length != m.numRows) {
            throw new IllegalArgumentException("norm gain has " + gain.length + " entries, the weight has " + m.numRows + " rows");
        }
        DMatrixRMaj s = m.copy();
        for (int i = 0; i < s.numRows; i++) {
            for (int j = 0; j < s.numCols; j++) {
                s.unsafe_set(i, j, s.unsafe_get(i, j) * gain[i]);
            }
        }
        return s;
    }

    /** One head's cores; safe to call concurrently for different heads. */
    public HeadCores head(int h) {
        int kv = weights.kvHeadOf(h);
        DMatrixRMaj qh = columns(pQ, h);
        DMatrixRMaj kk = columns(pK, kv);
        DMatrixRMaj qkCore = new DMatrixRMaj(dHead, dHead);
        CommonOps_DDRM.multTransA(kk, qh, qkCore);
        DMatrixRMaj qkSingular = new DMatrixRMaj(dHead, dHead);
        CommonOps_DDRM.multTransB(rFactor(qh), rK(kv), qkSingular);

        DMatrixRMaj oh = columns(pO, h);
        DMatrixRMaj ovCore = new DMatrixRMaj(dHead, dHead);
        if (cV == null) {
            CommonOps_DDRM.multTransA(oh, columns(pV, kv), ovCore);
        } else {
            DMatrixRMaj wOh = CommonOps_DDRM.extract(weights.wO(), h * dHead, (h + 1) * dHead, 0, weights.wO().numCols);
            CommonOps_DDRM.mult(wOh, columns(cV, kv), ovCore);
        }
        DMatrixRMaj ovSingular = new DMatrixRMaj(dHead, dHead);
        CommonOps_DDRM.multTransB(rV(kv), rFactor(oh), ovSingular);
        return new HeadCores(layer, h, kv, qkCore, qkSingular, ovCore, ovSingular);
    }

    private DMatrixRMaj rK(int kv) {
        return rK[kv];
    }

    private DMatrixRMaj rV(int kv) {
        return rV[kv];
    }

    private DMatrixRMaj columns(DMatrixRMaj m, int block) {
        return CommonOps_DDRM.extract(m, 0, m.numRows, block * dHead, (block + 1) * dHead);
    }

    /**
     * A dh x dh factor T with A = Q T, Q with orthonormal columns, of a d x dh matrix (d >= dh): the R of
     * a thin QR, so that A A'^T and T T'^T share singular values. EJML's Householder QR reports failure
     * on an exactly zero column (a dead head or a zero-padded one); then T = diag(s) V^T from the
     * SVD A = U diag(s) V^T serves the same purpose.
     */
    static DMatrixRMaj rFactor(DMatrixRMaj a) {
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(a.numRows, a.numCols);
        if (qr.decompose(a.copy())) {
            return qr.getR(null, true);
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd =
                DecompositionFactory_DDRM.svd(a.numRows, a.numCols, false, true, true);
        if (!svd.decompose(a.copy())) {
            throw new SpectralException("The singular value decomposition of a " + a.numRows + "x" + a.numCols
                    + " head product did not converge; check the attention weights for NaN or extreme values.");
        }
        DMatrixRMaj vt = svd.getV(null, true);
        double[] s = svd.getSingularValues();
        DMatrixRMaj t = new DMatrixRMaj(a.numCols, a.numCols);
        for (int i = 0; i < vt.numRows; i++) {
            for (int j = 0; j < vt.numCols; j++) {
                t.set(i, j, s[i] * vt.get(i, j));
            }
        }
        return t;
    }
}

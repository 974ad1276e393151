package io.github.spectralcircuits.model;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * One layer's attention weights, raw (not norm-folded), in the row-vector convention:
 * wQ [d, H*dh] (columns h*dh..(h+1)*dh-1 are head h), wK and wV [d, KV*dh] (per key/value head),
 * wO [H*dh, d] (rows h*dh.. are head h), and the gain of the norm before attention (length d).
 * Kept per layer so that products can be taken for all heads of a layer at once.
 */
public record LayerWeights(int layer, int nHeads, int nKvHeads, int dHead,
                           double[] attnNormGain,
                           DMatrixRMaj wQ, DMatrixRMaj wK, DMatrixRMaj wV, DMatrixRMaj wO) {

    public int kvHeadOf(int head) {
        return head / (nHeads / nKvHeads);
    }

    public HeadWeights head(int h) {
        int kv = kvHeadOf(h);
        int d = wQ.numRows;
        DMatrixRMaj q = CommonOps_DDRM.extract(wQ, 0, d, h * dHead, (h + 1) * dHead);
        DMatrixRMaj k = CommonOps_DDRM.extract(wK, 0, d, kv * dHead, (kv + 1) * dHead);
        DMatrixRMaj v = CommonOps_DDRM.extract(wV, 0, d, kv * dHead, (kv + 1) * dHead);
        DMatrixRMaj o = CommonOps_DDRM.extract(wO, h * dHead, (h + 1) * dHead, 0, d);
        return new HeadWeights(layer, h, kv, q, k, v, o);
    }
}

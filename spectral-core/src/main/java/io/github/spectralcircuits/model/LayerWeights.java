package io.github.spectralcircuits.model;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * One layer's attention weights, raw (not norm-folded), in the row-vector convention:
 * wQ [d, H*dh] (columns h*dh..(h+1)*dh-1 are head h), wK and wV [d, KV*dh] (per key/value head),
 * wO [H*dh, d] (rows h*dh.. are head h), and the gains that folding multiplies in, each null when the
 * layer has no such norm: the norm before attention (length d, rows of W_Q, W_K, W_V), the query and key
 * norms (H*dh and KV*dh, columns of W_Q and W_K) and a norm on the attention's output (d, columns of W_O).
 * Gains are as the forward pass multiplies them (Gemma's 1 + w already applied).
 * Kept per layer so that products can be taken for all heads of a layer at once.
 */
public record LayerWeights(int layer, int nHeads, int nKvHeads, int dHead,
                           double[] attnNormGain,
                           DMatrixRMaj wQ, DMatrixRMaj wK, DMatrixRMaj wV, DMatrixRMaj wO,
                           double[] queryNormGain, double[] keyNormGain, double[] outputNormGain) {

    public LayerWeights {
        int d = wQ.numRows;
        check("the attention norm gain", attnNormGain, d);
        check("the query norm gain", queryNormGain, nHeads * dHead);
        check("the key norm gain", keyNormGain, nKvHeads * dHead);
        check("the output norm gain", outputNormGain, d);
    }

    /** A layer whose only norm is the one before attention (or none, with a null gain). */
    public LayerWeights(int layer, int nHeads, int nKvHeads, int dHead, double[] attnNormGain,
                        DMatrixRMaj wQ, DMatrixRMaj wK, DMatrixRMaj wV, DMatrixRMaj wO) {
        this(layer, nHeads, nKvHeads, dHead, attnNormGain, wQ, wK, wV, wO, null, null, null);
    }

    private static void check(String what, double[] gain, int length) {
        if (gain != null && gain.length != length) {
            throw new IllegalArgumentException(what + " has " + gain.length + " entries, not " + length);
        }
    }

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

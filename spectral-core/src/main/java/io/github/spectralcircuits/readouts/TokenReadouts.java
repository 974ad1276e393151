package io.github.spectralcircuits.readouts;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ReadoutSettings;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.circuits.HeadCores;
import io.github.spectralcircuits.circuits.LayerProducts;
import io.github.spectralcircuits.io.TokenVocabulary;
import io.github.spectralcircuits.linalg.DenseProducts;
import io.github.spectralcircuits.linalg.RowMatrix;
import io.github.spectralcircuits.model.LayerWeights;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.model.TransformerModel;
import io.github.spectralcircuits.spectra.HeadSpectra;
import io.github.spectralcircuits.spectra.LayerObserver;
import io.github.spectralcircuits.spectra.ModelSpectra;
import io.github.spectralcircuits.spectra.SingularDirection;
import io.github.spectralcircuits.spectra.SpectraAnalyzer;
import io.github.spectralcircuits.spectra.TokenScore;
import io.github.spectralcircuits.spectra.TokenWeight;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Each head's circuits read in tokens, exactly and without a V x V matrix, as a {@link LayerObserver} of the
 * spectra's pass over the layers:
 * <ul>
 *   <li>topCopyingTokens: the k largest diagonal entries of OV = W_E W_V W_O W_U, entry t being row t of
 *   W_E W_V dotted with column t of W_O W_U, i.e. of the two V x d_head products A = W_E W_V and
 *   B = W_U^T W_O^T;</li>
 *   <li>singularDirections: for the largest singular values, the tokens with the largest components of the
 *   left and right singular vectors. With a circuit A B^T whose singular core R_A R_B^T = X S Y^T (the
 *   head cores' thin-QR factors), u_i = A R_B^T Y_i / s_i and v_i = B R_A^T X_i / s_i (see {@link HeadCores}):
 *   each is W_E or W_U^T times a d-vector.</li>
 * </ul>
 * Per layer, every vector needed is one column of a d x c matrix D, and one pass over the vocabulary
 * multiplies panels of W_E (and, untied, of W_U^T) by D, keeping only each list's k best: V d c
 * multiply-adds with c = (KV + H) d_head + 4 n H ({@link #multiplyAdds}). That is several times the
 * spectra's own work on a 50k vocabulary, which is why "auto" computes it for small ones only.
 */
public final class TokenReadouts implements LayerObserver {
    private static final int PANEL_ROWS = 512;

    private final RowMatrix embedding;
    private final RowMatrix unembeddingT;
    private final boolean tied;
    private final double[] finalGain;
    private final TokenVocabulary vocabulary;
    private final int topTokens;
    private final int directions;
    private final DenseProducts products = DenseProducts.standard();
    private final Map<Long, HeadReadout> results = new HashMap<>();

    /** One head's readouts, as the report lists them. */
    record HeadReadout(List<TokenScore> copying, List<SingularDirection> qk, List<SingularDirection> ov) {
    }

    /**
     * @param vocabulary the model's tokenizer vocabulary, or null (token strings are then null)
     */
    public TokenReadouts(TransformerModel model, AnalysisSettings settings, TokenVocabulary vocabulary) {
        // the embedding the residual stream sees when folded (BLOOM's normalised one), as the spectra's Gram
        RowMatrix normalised = settings.foldNorms() ? model.conventions().normalisedEmbedding() : null;
        this.embedding = normalised == null ? model.embedding() : normalised;
        this.unembeddingT = model.unembeddingTransposed();
        this.tied = unembeddingT == embedding;
        this.finalGain = settings.foldNorms() ? SpectraAnalyzer.unembeddingGain(model) : null;
        this.vocabulary = vocabulary;
        this.topTokens = settings.readouts().topTokens();
        this.directions = settings.readouts().singularDirections();
    }

    /** Multiply-adds of the readouts of the given number of layers: V d ((KV + H) d_head + 4 n H) per layer. */
    public static long multiplyAdds(ModelInfo info, ReadoutSettings r, int layers) {
        long n = Math.min(r.singularDirections(), info.dHead());
        long columns = (long) (info.nKvHeads() + info.nHeads()) * info.dHead() + 4 * n * info.nHeads();
        return (long) info.vocabSize() * info.dModel() * columns * layers;
    }

    @Override
    public void layer(LayerWeights w, List<HeadCores> cores) {
        int d = w.wQ().numRows;
        int dh = w.dHead();
        int n = Math.min(directions, dh);
        DMatrixRMaj wQ = w.wQ();
        DMatrixRMaj wK = w.wK();
        DMatrixRMaj wV = w.wV();
        DMatrixRMaj oT = LayerProducts.scaled(CommonOps_DDRM.transpose(w.wO(), null), finalGain, null);
        int kvCols = w.nKvHeads() * dh;
        int hCols = w.nHeads() * dh;
        int dirCols = n * cores.size();
        // Columns applied to W_E: [W_V (all kv heads) | QK input | QK output | OV input | (tied) W_O^T g | OV output];
        // untied, the last two go to W_U^T.
        int eCols = kvCols + 3 * dirCols + (tied ? hCols + dirCols : 0);
        int uCols = tied ? 0 : hCols + dirCols;
        DMatrixRMaj dE = new DMatrixRMaj(d, eCols);
        DMatrixRMaj dU = tied ? dE : new DMatrixRMaj(d, uCols);
        CommonOps_DDRM.insert(wV, dE, 0, 0);
        int qkIn = kvCols;
        int qkOut = qkIn + dirCols;
        int ovIn = qkOut + dirCols;
        int oAt = tied ? ovIn + dirCols : 0;
        int ovOut = oAt + hCols;
        CommonOps_DDRM.insert(oT, dU, 0, oAt);
        double[][] qkSigma = new double[cores.size()][];
        double[][] ovSigma = new double[cores.size()][];
        for (int i = 0; i < cores.size(); i++) {
            HeadCores c = cores.get(i);
            int h = c.head();
            int kv = c.kvHead();
            qkSigma[i] = directionColumns(c.qkSingularCore(), c.rQ(), c.rK(), block(wQ, h, dh), block(wK, kv, dh), n,
                    dE, qkIn + i * n, dE, qkOut + i * n);
            ovSigma[i] = directionColumns(c.ovSingularCore(), c.rV(), c.rO(), block(wV, kv, dh), block(oT, h, dh), n,
                    dE, ovIn + i * n, dU, ovOut + i * n);
        }

        TopK[] copying = new TopK[cores.size()];
        TopK[] lists = new TopK[4 * dirCols];
        for (int i = 0; i < copying.length; i++) {
            copying[i] = new TopK(topTokens);
        }
        for (int i = 0; i < lists.length; i++) {
            lists[i] = new TopK(topTokens);
        }
        int vocab = embedding.rows();
        double[] panelE = new double[PANEL_ROWS * d];
        double[] panelU = tied ? panelE : new double[PANEL_ROWS * d];
        for (int first = 0; first < vocab; first += PANEL_ROWS) {
            int rows = Math.min(PANEL_ROWS, vocab - first);
            embedding.readRows(first, rows, panelE);
            DMatrixRMaj outE = products.mult(DMatrixRMaj.wrap(rows, d, panelE.length == rows * d ? panelE
                    : java.util.Arrays.copyOf(panelE, rows * d)), dE);
            DMatrixRMaj outU = outE;
            if (!tied) {
                unembeddingT.readRows(first, rows, panelU);
                outU = products.mult(DMatrixRMaj.wrap(rows, d, panelU.length == rows * d ? panelU
                        : java.util.Arrays.copyOf(panelU, rows * d)), dU);
            }
            for (int r = 0; r < rows; r++) {
                int token = first + r;
                int e0 = r * eCols;
                int u0 = r * (tied ? eCols : uCols);
                for (int i = 0; i < cores.size(); i++) {
                    int a = e0 + cores.get(i).kvHead() * dh;
                    int b = u0 + oAt + cores.get(i).head() * dh;
                    double s = 0;
                    for (int j = 0; j < dh; j++) {
                        s += outE.data[a + j] * outU.data[b + j];
                    }
                    copying[i].offer(token, s, s);
                }
                for (int c = 0; c < 3 * dirCols; c++) {
                    double x = outE.data[e0 + qkIn + c];
                    lists[c].offer(token, Math.abs(x), x);
                }
                for (int c = 0; c < dirCols; c++) {
                    double x = outU.data[u0 + ovOut + c];
                    lists[3 * dirCols + c].offer(token, Math.abs(x), x);
                }
            }
        }
        for (int i = 0; i < cores.size(); i++) {
            HeadCores c = cores.get(i);
            List<TokenScore> top = new ArrayList<>();
            for (TopK.Entry e : copying[i].sorted()) {
                top.add(new TokenScore(e.id(), token(e.id()), e.value()));
            }
            List<SingularDirection> qk = new ArrayList<>();
            List<SingularDirection> ov = new ArrayList<>();
            for (int j = 0; j < qkSigma[i].length; j++) {
                qk.add(direction(qkSigma[i][j], lists[i * n + j], lists[dirCols + i * n + j]));
            }
            for (int j = 0; j < ovSigma[i].length; j++) {
                ov.add(direction(ovSigma[i][j], lists[2 * dirCols + i * n + j], lists[3 * dirCols + i * n + j]));
            }
            results.put(key(w.layer(), c.head()), new HeadReadout(top, qk, ov));
        }
    }

    /**
     * Writes the d-vectors a_j = A_w R_B^T Y_j / s_j (input side) and b_j = B_w R_A^T X_j / s_j (output side)
     * of the n largest singular values s_j > 0 of core = R_A R_B^T into columns of the two matrices; A_w and
     * B_w are the head's weight blocks (d x dh) whose vocabulary products are A and B. Returns the s_j used.
     */
    private static double[] directionColumns(DMatrixRMaj core, DMatrixRMaj rA, DMatrixRMaj rB, DMatrixRMaj aW,
                                             DMatrixRMaj bW, int n, DMatrixRMaj inMatrix, int inCol,
                                             DMatrixRMaj outMatrix, int outCol) {
        int dh = core.numRows;
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(dh, dh, true, true, false);
        if (!svd.decompose(core.copy())) {
            throw new SpectralException("The singular value decomposition of a " + dh + "x" + dh + " head core did not "
                    + "converge while reading its singular directions; check the weights for NaN or extreme values.");
        }
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj v = svd.getV(null, false);
        DMatrixRMaj s = svd.getW(null);
        SingularOps_DDRM.descendingOrder(u, false, s, v, false);
        int used = 0;
        while (used < n && s.get(used, used) > 0) {
            used++;
        }
        double[] sigma = new double[used];
        for (int j = 0; j < used; j++) {
            sigma[j] = s.get(j, j);
            DMatrixRMaj x = CommonOps_DDRM.extract(u, 0, dh, j, j + 1);
            DMatrixRMaj y = CommonOps_DDRM.extract(v, 0, dh, j, j + 1);
            DMatrixRMaj in = new DMatrixRMaj(aW.numRows, 1);
            DMatrixRMaj out = new DMatrixRMaj(bW.numRows, 1);
            DMatrixRMaj t = new DMatrixRMaj(dh, 1);
            CommonOps_DDRM.multTransA(rB, y, t);
            CommonOps_DDRM.mult(1 / sigma[j], aW, t, in);
            CommonOps_DDRM.multTransA(rA, x, t);
            CommonOps_DDRM.mult(1 / sigma[j], bW, t, out);
            CommonOps_DDRM.insert(in, inMatrix, 0, inCol + j);
            CommonOps_DDRM.insert(out, outMatrix, 0, outCol + j);
        }
        return sigma;
    }

    /** The pair's sign is free; it is fixed so that the input side's largest component is positive. */
    private SingularDirection direction(double sigma, TopK input, TopK output) {
        List<TopK.Entry> in = input.sorted();
        double sign = !in.isEmpty() && in.get(0).value() < 0 ? -1 : 1;
        return new SingularDirection(sigma, weights(in, sign), weights(output.sorted(), sign));
    }

    private List<TokenWeight> weights(List<TopK.Entry> entries, double sign) {
        List<TokenWeight> out = new ArrayList<>(entries.size());
        for (TopK.Entry e : entries) {
            out.add(new TokenWeight(e.id(), token(e.id()), sign * e.value()));
        }
        return out;
    }

    private String token(int id) {
        return vocabulary == null ? null : vocabulary.token(id);
    }

    /** The spectra with each read head's readouts attached (QK: directions; OV: copying tokens and directions). */
    public ModelSpectra attach(ModelSpectra spectra) {
        List<HeadSpectra> heads = new ArrayList<>(spectra.heads().size());
        for (HeadSpectra h : spectra.heads()) {
            HeadReadout r = results.get(key(h.layer(), h.head()));
            heads.add(r == null ? h : new HeadSpectra(h.layer(), h.head(), h.kvHead(),
                    h.qk().withReadouts(null, r.qk()), h.ov().withReadouts(r.copying(), r.ov())));
        }
        return new ModelSpectra(heads);
    }

    private static long key(int layer, int head) {
        return ((long) layer << 32) | head;
    }

    /** Columns [block * dh, (block + 1) * dh) of m. */
    private static DMatrixRMaj block(DMatrixRMaj m, int block, int dh) {
        return CommonOps_DDRM.extract(m, 0, m.numRows, block * dh, (block + 1) * dh);
    }
}

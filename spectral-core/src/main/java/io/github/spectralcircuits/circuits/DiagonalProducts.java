package io.github.spectralcircuits.circuits;

import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.linalg.BlockProducts;
import io.github.spectralcircuits.linalg.Cholesky;
import io.github.spectralcircuits.linalg.ThinQr;
import io.github.spectralcircuits.linalg.RowMatrix;
import io.github.spectralcircuits.model.LayerRows;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The cores of a layer's heads when the shared factors are diagonal ({@link SharedFactors#diagonal}: the random
 * control's embedding in its singular bases), the cores {@link LayerProducts} gives for them, at a fraction of
 * the cost. With F_E = diag(s_E) and F_U = diag(s_U) the layer's products are scaled copies of its projections,
 * and every core is a d_head x d_head product of two blocks of them:
 * <pre>
 *   Q = diag(s_E g) W_Q[:, h]     K = diag(s_E g) W_K[:, kv]     V = diag(s_E g) W_V[:, kv]     O = W_O[h] diag(s_U)
 *   QK core = K^T Q     OV core = O (frame V), untied; O V, tied     (frame = diag(s_U)^-1 W_U W_E diag(s_E)^-1)
 *   R_X: R_X^T R_X = X^T X (Cholesky of the block's Gram)     singular cores R_Q R_K^T, R_V R_O'^T (O' = O^T)
 * </pre>
 * (g: the gains folded into W's rows and columns, as {@link LayerProducts#folded} folds them.) What differs from
 * LayerProducts: each block's R is the Cholesky factor of its Gram instead of a Householder QR of the d x d_head
 * block (half the multiply-adds, on the native BLAS's syrk, no column-major copy); the projections are read a row
 * at a time ({@link LayerRows}: the control generates them so) straight into one workspace reused for every
 * layer ({@link BlockProducts}), scaled as they are copied, and the blocks multiplied where they lie; the only
 * d x d product is the frame's with V (untied). R differs from the QR's by the signs of its rows only, so the
 * singular cores have the same singular values. Not for concurrent calls on one SharedFactors (its workspace is
 * shared): SpectraAnalyzer takes a layer at a time.
 *
 * <p>Accuracy: a Cholesky factor of a Gram is as accurate as a QR's for a well-conditioned block, and loses the
 * square of the block's condition number otherwise. The control's blocks are Gaussian matrices scaled by the
 * embedding's singular values, condition number about 3 at 7B shapes; each R is used only if
 * ||R||_F ||R^-1||_F (at least its condition number) is at most {@link #CONDITION_LIMIT}, else the block gets
 * the Householder QR as in LayerProducts (a test plants such blocks). The cores equal LayerProducts' to rounding.
 */
public final class DiagonalProducts implements HeadCoreSource {
    /**
     * Largest ||R||_F ||R^-1||_F accepted from a Cholesky factor: then cond(R) <= 1e4, and the singular values of
     * the cores err by at most about cond^2 * 1e-16 = 1e-8 of the largest (for the control's heads, about 1e-14).
     */
    static final double CONDITION_LIMIT = 1e4;

    private static final int Q = 0;
    private static final int K = 1;
    private static final int V = 2;
    private static final int FRAME_V = 3;
    private static final int O = 0;

    private final int qFrom;
    private final int qTo;
    private final HeadCores[] cores;

    private DiagonalProducts(int qFrom, int qTo, HeadCores[] cores) {
        this.qFrom = qFrom;
        this.qTo = qTo;
        this.cores = cores;
    }

    /** A whole layer's heads, with every gain folded in as {@link LayerProducts#folded} folds them. */
    public static DiagonalProducts folded(SharedFactors shared, LayerRows w, double embeddingScale) {
        return of(shared, w, LayerProducts.rowGain(w.attnNormGain(), embeddingScale, w.dModel()), w.queryNormGain(),
                w.keyNormGain(), w.outputNormGain());
    }

    /** As {@link #folded} with raw weights (nothing folded in). */
    public static DiagonalProducts raw(SharedFactors shared, LayerRows w) {
        return of(shared, w, null, null, null, null);
    }

    /**
     * All heads of the layer at once: the views are read a row at a time, all columns (the control's rows are
     * generated whole), into the workspace, which at 7B shapes holds 5 x 134 MB (native when the BLAS is).
     */
    private static DiagonalProducts of(SharedFactors shared, LayerRows w, double[] rows, double[] queryCols,
                                       double[] keyCols, double[] outputCols) {
        SharedFactors.Diagonal f = shared.diagonalFactors();
        if (f == null) {
            throw new IllegalArgumentException("DiagonalProducts needs diagonal shared factors (SharedFactors.diagonal)");
        }
        int d = w.dModel();
        if (f.sigmaE.length != d) {
            throw new IllegalArgumentException("diagonal factors of " + f.sigmaE.length + " values for d_model " + d);
        }
        int group = w.nHeads() / w.nKvHeads();
        int dh = w.dHead();
        int heads = w.nHeads();
        int kvs = w.nKvHeads();
        int qCols = heads * dh;
        int kvCols = kvs * dh;
        double[] e = new double[d];
        for (int i = 0; i < d; i++) {
            e[i] = f.sigmaE[i] * (rows == null ? 1.0 : rows[i]);
        }
        int[] tallWidth = f.tied() ? new int[] {qCols, kvCols, kvCols} : new int[] {qCols, kvCols, kvCols, kvCols};
        BlockProducts ws = f.workspace(tallWidth, new int[] {qCols});
        ws.fillTall(Q, qCols, scaledRows(w.wQ(), e, queryCols));
        ws.fillTall(K, kvCols, scaledRows(w.wK(), e, keyCols));
        ws.fillTall(V, kvCols, scaledRows(w.wV(), e, null));
        ws.fillWide(O, qCols, scaledColumns(w.wO(), outputCols, f.sigmaU));
        if (!f.tied()) {
            ws.multiplySquare(V, FRAME_V, kvCols);
        }
        // per query head: QK core, Q's Gram, O's Gram, OV core; per key/value head: K's and V's Grams
        List<BlockProducts.Product> batch = new ArrayList<>(4 * heads + 2 * kvs);
        for (int h = 0; h < heads; h++) {
            int kv = h / group;
            batch.add(new BlockProducts.TallCross(K, kv * dh, Q, h * dh, dh));
            batch.add(new BlockProducts.TallGram(Q, h * dh, dh));
            batch.add(new BlockProducts.WideGram(O, h * dh, dh));
            batch.add(new BlockProducts.WideTimesTall(O, h * dh, f.tied() ? V : FRAME_V, kv * dh, dh));
        }
        for (int kv = 0; kv < kvs; kv++) {
            batch.add(new BlockProducts.TallGram(K, kv * dh, dh));
            batch.add(new BlockProducts.TallGram(V, kv * dh, dh));
        }
        double[][] p = ws.products(batch);
        int at = 4 * heads;
        // R factors of the key/value heads, then of the query heads with their cores, spread over the cores
        DMatrixRMaj[] rK = new DMatrixRMaj[kvs];
        DMatrixRMaj[] rV = new DMatrixRMaj[kvs];
        IntStream.range(0, 2 * kvs).parallel().forEach(i -> {
            int kv = i / 2;
            if (i % 2 == 0) {
                rK[kv] = rFactor(p[at + 2 * kv], dh, () -> ws.tallBlockColumns(K, kv * dh, dh), d);
            } else {
                rV[kv] = rFactor(p[at + 2 * kv + 1], dh, () -> ws.tallBlockColumns(V, kv * dh, dh), d);
            }
        });
        int layer = w.layer();
        HeadCores[] cores = IntStream.range(0, heads).parallel().mapToObj(h -> {
            int kv = h / group;
            DMatrixRMaj qkCore = DMatrixRMaj.wrap(dh, dh, p[4 * h]);
            DMatrixRMaj rQ = rFactor(p[4 * h + 1], dh, () -> ws.tallBlockColumns(Q, h * dh, dh), d);
            DMatrixRMaj rO = rFactor(p[4 * h + 2], dh, () -> ws.wideBlockColumns(O, h * dh, dh), d);
            DMatrixRMaj ovCore = DMatrixRMaj.wrap(dh, dh, p[4 * h + 3]);
            DMatrixRMaj qkSingular = new DMatrixRMaj(dh, dh);
            CommonOps_DDRM.multTransB(rQ, rK[kv], qkSingular);
            DMatrixRMaj ovSingular = new DMatrixRMaj(dh, dh);
            CommonOps_DDRM.multTransB(rV[kv], rO, ovSingular);
            return new HeadCores(layer, h, kv, qkCore, qkSingular, ovCore, ovSingular, rQ, rK[kv], rV[kv], rO);
        }).toArray(HeadCores[]::new);
        return new DiagonalProducts(0, heads, cores);
    }

    /** Row r of diag(e) m diag(cols) (cols null for none): the row read whole, then scaled in place. */
    private static BlockProducts.RowSource scaledRows(RowMatrix m, double[] e, double[] cols) {
        return (r, dst) -> {
            m.readRows(r, 1, dst);
            double g = e[r];
            if (cols == null) {
                for (int j = 0; j < dst.length; j++) {
                    dst[j] *= g;
                }
            } else {
                for (int j = 0; j < dst.length; j++) {
                    dst[j] = dst[j] * g * cols[j];
                }
            }
        };
    }

    /** Row r of m diag(cols) diag(s) (cols null for none). */
    private static BlockProducts.RowSource scaledColumns(RowMatrix m, double[] cols, double[] s) {
        int width = m.cols();
        double[] scale = new double[width];
        for (int c = 0; c < width; c++) {
            scale[c] = s[c] * (cols == null ? 1.0 : cols[c]);
        }
        return (r, dst) -> {
            m.readRows(r, 1, dst);
            for (int c = 0; c < dst.length; c++) {
                dst[c] *= scale[c];
            }
        };
    }

    /**
     * R with R^T R = the block's Gram: its Cholesky factor when that is well-conditioned, else the Householder
     * R of the block itself (block: column-major d x n, fetched only then).
     */
    static DMatrixRMaj rFactor(double[] gram, int n, java.util.function.Supplier<double[]> block, int d) {
        double[] r = Cholesky.upper(gram, n);
        if (r == null || !(conditionBound(r, n) <= CONDITION_LIMIT)) {
            r = ThinQr.rFactor(block.get(), d, n);
        }
        for (double x : r) {
            if (!Double.isFinite(x)) {
                throw new SpectralException("The QR factorisation of a " + d + "x" + n + " head product gave "
                        + "non-finite values; check the attention and embedding weights for NaN or extreme values.");
            }
        }
        return DMatrixRMaj.wrap(n, n, r);
    }

    /**
     * ||R||_F ||R^-1||_F of an upper triangular R (row-major n x n), at least its 2-norm condition number;
     * infinite when R is singular. R^-1 by back substitution, column by column (n^3 / 6 multiply-adds).
     */
    static double conditionBound(double[] r, int n) {
        double norm = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                norm += r[i * n + j] * r[i * n + j];
            }
        }
        double inverse = 0;
        double[] x = new double[n];
        for (int c = 0; c < n; c++) {
            // R x = e_c: x is zero below row c
            for (int i = c; i >= 0; i--) {
                double s = i == c ? 1.0 : 0.0;
                for (int j = i + 1; j <= c; j++) {
                    s -= r[i * n + j] * x[j];
                }
                double diag = r[i * n + i];
                if (diag == 0) {
                    return Double.POSITIVE_INFINITY;
                }
                x[i] = s / diag;
                inverse += x[i] * x[i];
            }
        }
        return Math.sqrt(norm) * Math.sqrt(inverse);
    }

    @Override
    public int firstHead() {
        return qFrom;
    }

    @Override
    public int endHead() {
        return qTo;
    }

    @Override
    public HeadCores head(int h) {
        if (h < qFrom || h >= qTo) {
            throw new IllegalArgumentException("head " + h + " is not among the heads [" + qFrom + ", " + qTo + ") of these products");
        }
        return cores[h - qFrom];
    }
}

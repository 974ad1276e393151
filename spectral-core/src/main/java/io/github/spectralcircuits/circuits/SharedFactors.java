package io.github.spectralcircuits.circuits;

import io.github.spectralcircuits.linalg.BlockProducts;
import io.github.spectralcircuits.linalg.DenseProducts;
import org.ejml.data.DMatrixRMaj;

/**
 * The shared d x d matrices of {@link SharedProducts} as left operands of the layers' products
 * ({@link DenseProducts.Factor}): with the native BLAS they are copied into native memory once for all
 * layers, and freed on close. One per analysed model, closed when its layers are done.
 */
public final class SharedFactors implements AutoCloseable {
    private final DenseProducts.Factor factorE;
    private final DenseProducts.Factor factorU;
    private DenseProducts.Factor cross;
    /** Diagonal factors only: what {@link DiagonalProducts} works from, else null. */
    private final Diagonal diagonal;

    private SharedFactors(DenseProducts.Factor factorE, DenseProducts.Factor factorU, DenseProducts.Factor cross,
                          Diagonal diagonal) {
        this.factorE = factorE;
        this.factorU = factorU;
        this.cross = cross;
        this.diagonal = diagonal;
    }

    /**
     * The diagonal factors' data: sigmaE, sigmaU and, untied, frame = diag(sigmaU)^-1 cross diag(sigmaE)^-1 (K of
     * EmbeddingSpectrum times the logit scale), so that the OV cores are (diag(sigmaU) oT)^T frame (diag(sigmaE) v):
     * the same blocks that the singular cores' Grams are taken of. Its workspace is made on first use and kept
     * for all layers (closed with these factors).
     */
    static final class Diagonal {
        final double[] sigmaE;
        final double[] sigmaU;
        final DMatrixRMaj frame;
        private BlockProducts workspace;

        Diagonal(double[] sigmaE, double[] sigmaU, DMatrixRMaj frame) {
            this.sigmaE = sigmaE;
            this.sigmaU = sigmaU;
            this.frame = frame;
        }

        boolean tied() {
            return frame == null;
        }

        /** A workspace of these shapes with the frame as its square operand, the same one while the shapes are. */
        synchronized BlockProducts workspace(int[] tallWidth, int[] wideRows) {
            if (workspace != null && !workspace.fits(tallWidth, wideRows)) {
                workspace.close();
                workspace = null;
            }
            if (workspace == null) {
                workspace = BlockProducts.create(sigmaE.length, tallWidth, wideRows, frame);
            }
            return workspace;
        }

        synchronized void close() {
            if (workspace != null) {
                workspace.close();
                workspace = null;
            }
        }
    }

    public static SharedFactors of(SharedProducts shared) {
        DenseProducts mm = DenseProducts.standard();
        DenseProducts.Factor e = mm.factor(shared.factorE(), shared.factorEUpper());
        DenseProducts.Factor u = null;
        try {
            u = mm.factor(shared.factorU(), shared.factorUUpper());
            DenseProducts.Factor c = shared.tied() ? null : mm.factor(shared.cross(), false);
            return new SharedFactors(e, u, c, null);
        } catch (RuntimeException | Error failure) {
            e.close();
            if (u != null) {
                u.close();
            }
            throw failure;
        }
    }

    /**
     * Diagonal factors F_E = diag(sigmaE), F_U = diag(sigmaU) and the cross product W_U W_E = {@code cross}
     * (null when tied, which then must have sigmaU = sigmaE): the random control's embedding in the bases
     * that diagonalise its Grams ({@code EmbeddingSpectrum}), where no d x d factor needs multiplying.
     */
    public static SharedFactors diagonal(double[] sigmaE, double[] sigmaU, DMatrixRMaj cross) {
        return diagonal(sigmaE, sigmaU, cross, 1.0);
    }

    /**
     * As {@link #diagonal(double[], double[], DMatrixRMaj)} with the cross product {@code crossScale * cross}
     * (the logit scale), without a scaled copy of it: only the frame diag(sigmaU)^-1 crossScale cross diag(sigmaE)^-1
     * is kept, from which the general path's cross product is remade if it is asked for.
     */
    public static SharedFactors diagonal(double[] sigmaE, double[] sigmaU, DMatrixRMaj cross, double crossScale) {
        int d = sigmaE.length;
        if (sigmaU.length != d || (cross != null && (cross.numRows != d || cross.numCols != d))) {
            throw new IllegalArgumentException("diagonal factors of " + d + " and " + sigmaU.length + " values, cross product "
                    + (cross == null ? "none" : cross.numRows + " x " + cross.numCols));
        }
        DMatrixRMaj frame = null;
        if (cross != null) {
            // cross = diag(sigmaU) frame diag(sigmaE); where a singular value is 0 its row or column of cross is 0
            // as well (it multiplies a zero row of the scaled O or V in every product), and the frame's is set to 0
            frame = new DMatrixRMaj(d, d);
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    double s = sigmaU[i] * sigmaE[j];
                    frame.data[i * d + j] = s == 0 ? 0 : crossScale * cross.data[i * d + j] / s;
                }
            }
        }
        return new SharedFactors(DenseProducts.diagonal(sigmaE), DenseProducts.diagonal(sigmaU), null,
                new Diagonal(sigmaE.clone(), sigmaU.clone(), frame));
    }

    /** The diagonal factors' data, or null when the factors are not diagonal. */
    Diagonal diagonalFactors() {
        return diagonal;
    }

    /** Whether these are diagonal factors ({@link #diagonal}), whose layers {@link DiagonalProducts} takes. */
    public boolean isDiagonal() {
        return diagonal != null;
    }

    DenseProducts.Factor factorE() {
        return factorE;
    }

    DenseProducts.Factor factorU() {
        return factorU;
    }

    /** W_U W_E with the final gain folded in; null when tied (the OV core then comes from the factors). */
    synchronized DenseProducts.Factor cross() {
        // the diagonal factors' cross product goes to the native library only if the general path asks for it
        if (cross == null && diagonal != null && !diagonal.tied()) {
            int d = diagonal.sigmaE.length;
            DMatrixRMaj c = new DMatrixRMaj(d, d);
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    c.data[i * d + j] = diagonal.sigmaU[i] * diagonal.frame.data[i * d + j] * diagonal.sigmaE[j];
                }
            }
            cross = DenseProducts.standard().factor(c, false);
        }
        return cross;
    }

    @Override
    public synchronized void close() {
        if (diagonal != null) {
            diagonal.close();
        }
        factorE.close();
        factorU.close();
        if (cross != null) {
            cross.close();
        }
    }
}

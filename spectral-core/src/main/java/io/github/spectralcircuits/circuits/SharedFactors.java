package io.github.spectralcircuits.circuits;

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
    private final DenseProducts.Factor cross;

    private SharedFactors(DenseProducts.Factor factorE, DenseProducts.Factor factorU, DenseProducts.Factor cross) {
        this.factorE = factorE;
        this.factorU = factorU;
        this.cross = cross;
    }

    public static SharedFactors of(SharedProducts shared) {
        DenseProducts mm = DenseProducts.standard();
        DenseProducts.Factor e = mm.factor(shared.factorE(), shared.factorEUpper());
        DenseProducts.Factor u = null;
        try {
            u = mm.factor(shared.factorU(), shared.factorUUpper());
            DenseProducts.Factor c = shared.tied() ? null : mm.factor(shared.cross(), false);
            return new SharedFactors(e, u, c);
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
        DenseProducts.Factor c = cross == null ? null : DenseProducts.standard().factor(cross, false);
        return new SharedFactors(DenseProducts.diagonal(sigmaE), DenseProducts.diagonal(sigmaU), c);
    }

    DenseProducts.Factor factorE() {
        return factorE;
    }

    DenseProducts.Factor factorU() {
        return factorU;
    }

    /** W_U W_E with the final gain folded in; null when tied (the OV core then comes from the factors). */
    DenseProducts.Factor cross() {
        return cross;
    }

    @Override
    public void close() {
        factorE.close();
        factorU.close();
        if (cross != null) {
            cross.close();
        }
    }
}

package io.github.spectralcircuits.bench;

import io.github.spectralcircuits.circuits.GramFactor;
import io.github.spectralcircuits.linalg.HessenbergQr;
import io.github.spectralcircuits.linalg.ReflectorSweeps;
import io.github.spectralcircuits.linalg.RowDot;
import io.github.spectralcircuits.linalg.ThinQr;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.decomposition.chol.CholeskyDecomposition_DDRB_to_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.QRDecomposition;

/**
 * linalg's own kernels against EJML's on the reference workload's shapes (TinyStories-33M: d = 768,
 * d_head = 48): the R of a thin QR of a 768 x 48 block (twice per head and layer) and the eigenvalues of a
 * 48 x 48 core (twice per head); and the Cholesky factor of the d x d embedding Gram (once per model), which
 * is EJML's since this benchmark showed a hand-written one not worth keeping (see GramFactor). Each
 * line is one fresh JVM: the first call ("cold", JIT and class loading included, what a run pays for a
 * kernel called once) with the process CPU it took, then the least thread CPU of repeated calls ("warm").
 * <p>Arguments: {@code KERNEL [repeats] [d]}, KERNEL one of chol (GramFactor.of, what the analysis calls),
 * chol-ejml (DecompositionFactory_DDRM.chol's choice for an upper factor), chol-ejml-lower (its lower factor,
 * transposed), chol-ejml-block (EJML's blocked upper factor), chol-ejml-block-lower, chol-own (the row-by-row
 * loop linalg.Cholesky had until GramFactor took EJML's, kept here to be measured against); qr-own,
 * qr-own-plain (the scalar sweeps), qr-ejml; eig-own, eig-ejml. Run them in fresh JVMs, alternating.
 */
public final class KernelBenchmark {
    public static void main(String[] args) {
        String kernel = args[0];
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int d = args.length > 2 ? Integer.parseInt(args[2]) : 768;
        Supplier<Object> call = call(kernel, d, new Random(1));
        java.lang.management.ThreadMXBean thread = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Object sink = call.get();
        double cold = (System.nanoTime() - t0) / 1e6;
        double coldCpu = (os.getProcessCpuTime() - cpu0) / 1e6;
        double warm = Double.POSITIVE_INFINITY;
        for (int r = 0; r < repeats; r++) {
            long s = thread.getCurrentThreadCpuTime();
            sink = call.get();
            warm = Math.min(warm, (thread.getCurrentThreadCpuTime() - s) / 1e6);
        }
        System.out.printf(Locale.ROOT, "%-16s cold %8.2f ms wall %8.2f ms process cpu   warm %8.3f ms thread cpu  (%s)%n",
                kernel, cold, coldCpu, warm, sink.getClass().getSimpleName());
    }

    private static Supplier<Object> call(String kernel, int d, Random rnd) {
        switch (kernel) {
            case "chol": {
                DMatrixRMaj g = gram(d, rnd);
                return () -> GramFactor.of(g);
            }
            case "chol-ejml": {
                DMatrixRMaj g = gram(d, rnd);
                return () -> ejml(DecompositionFactory_DDRM.chol(d, false), g);
            }
            case "chol-ejml-lower": {
                DMatrixRMaj g = gram(d, rnd);
                return () -> CommonOps_DDRM.transpose(ejml(DecompositionFactory_DDRM.chol(d, true), g), null);
            }
            case "chol-ejml-block": {
                DMatrixRMaj g = gram(d, rnd);
                return () -> ejml(new CholeskyDecomposition_DDRB_to_DDRM(false), g);
            }
            case "chol-ejml-block-lower": {
                DMatrixRMaj g = gram(d, rnd);
                return () -> CommonOps_DDRM.transpose(ejml(new CholeskyDecomposition_DDRB_to_DDRM(true), g), null);
            }
            case "chol-own": {
                DMatrixRMaj g = gram(d, rnd);
                return () -> ownUpper(g.data, d);
            }
            case "qr-own":
            case "qr-own-plain": {
                double[] colMajor = gaussian(768 * 48, rnd);
                ReflectorSweeps sweeps = kernel.equals("qr-own") ? ReflectorSweeps.best() : ReflectorSweeps.scalar();
                return () -> ThinQr.rFactor(colMajor.clone(), 768, 48, sweeps);
            }
            case "qr-ejml": {
                DMatrixRMaj a = DMatrixRMaj.wrap(768, 48, gaussian(768 * 48, rnd));
                return () -> {
                    QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(768, 48);
                    if (!qr.decompose(a.copy())) {
                        throw new IllegalStateException("QR failed");
                    }
                    return qr.getR(null, true);
                };
            }
            case "eig-own": {
                double[] core = gaussian(48 * 48, rnd);
                return () -> HessenbergQr.eigenvalues(core, 48);
            }
            case "eig-ejml": {
                DMatrixRMaj core = DMatrixRMaj.wrap(48, 48, gaussian(48 * 48, rnd));
                return () -> {
                    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(48, false, false);
                    if (!eig.decompose(core.copy())) {
                        throw new IllegalStateException("eig failed");
                    }
                    return eig.getEigenvalue(0);
                };
            }
            default:
                throw new IllegalArgumentException("unknown kernel " + kernel);
        }
    }

    private static DMatrixRMaj ejml(CholeskyDecomposition_F64<DMatrixRMaj> chol, DMatrixRMaj gram) {
        if (!chol.decompose(gram.copy())) {
            throw new IllegalStateException("not positive definite");
        }
        return chol.getT(null);
    }

    /** The removed linalg.Cholesky.upper: L row by row with dot products over contiguous rows, R = L^T. */
    private static double[] ownUpper(double[] g, int n) {
        double[] l = new double[n * n];
        for (int i = 0; i < n; i++) {
            int ri = i * n;
            for (int j = 0; j < i; j++) {
                int rj = j * n;
                l[ri + j] = (g[ri + j] - RowDot.dot(l, ri, rj, j)) / l[rj + j];
            }
            double pivot = g[ri + i] - RowDot.dot(l, ri, ri, i);
            if (!(pivot > 0) || !Double.isFinite(pivot)) {
                throw new IllegalStateException("not positive definite");
            }
            l[ri + i] = Math.sqrt(pivot);
        }
        double[] r = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                r[j * n + i] = l[i * n + j];
            }
        }
        return r;
    }

    private static double[] gaussian(int n, Random rnd) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextGaussian();
        }
        return a;
    }

    /**
     * X^T X for a Gaussian 2d x d X: a well-conditioned Gram matrix like W_E's. Above d = 1024 that product
     * alone would take minutes, so there a symmetric matrix with Gaussian entries and d on the diagonal
     * (diagonally dominant, so positive definite) stands in: the factorisation's cost does not depend on
     * the values.
     */
    private static DMatrixRMaj gram(int d, Random rnd) {
        if (d > 1024) {
            DMatrixRMaj g = new DMatrixRMaj(d, d);
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < i; j++) {
                    double v = rnd.nextGaussian() / 4;
                    g.set(i, j, v);
                    g.set(j, i, v);
                }
                g.set(i, i, d);
            }
            return g;
        }
        DMatrixRMaj x = DMatrixRMaj.wrap(2 * d, d, gaussian(2 * d * d, rnd));
        DMatrixRMaj g = new DMatrixRMaj(d, d);
        CommonOps_DDRM.multTransA(x, x, g);
        return g;
    }
}

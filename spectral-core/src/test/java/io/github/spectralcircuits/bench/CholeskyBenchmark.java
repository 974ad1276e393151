package io.github.spectralcircuits.bench;

import io.github.spectralcircuits.circuits.GramFactor;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.decomposition.chol.CholeskyDecompositionInner_DDRM;
import org.ejml.dense.row.decomposition.chol.CholeskyDecomposition_DDRB_to_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/**
 * The Cholesky factor of a d x d Gram matrix (d = d_model) as the analysis needs it once per model: the first
 * call in a fresh JVM ("cold", JIT included, what a run pays) and the best of repeated calls ("warm").
 * Arguments: {@code [gram|inner|inner-lower|block] [d] [repeats]}: "gram" is {@link GramFactor#of} (what the pipeline
 * calls), "inner" EJML's unblocked upper factor (DecompositionFactory_DDRM.chol below d = 1000), "block"
 * EJML's blocked one. Run each in fresh JVMs, alternating.
 */
public final class CholeskyBenchmark {
    public static void main(String[] args) {
        String what = args.length > 0 ? args[0] : "gram";
        int d = args.length > 1 ? Integer.parseInt(args[1]) : 768;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        DMatrixRMaj gram = gram(d);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        double cold = time(what, gram);
        double coldCpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        double warm = Double.POSITIVE_INFINITY;
        for (int r = 0; r < repeats; r++) {
            warm = Math.min(warm, time(what, gram));
        }
        System.out.printf(Locale.ROOT, "%s d=%d cold %.1f ms wall %.1f ms process cpu, warm %.1f ms%n", what, d,
                cold * 1e3, coldCpu * 1e3, warm * 1e3);
    }

    private static double time(String what, DMatrixRMaj gram) {
        long t0 = System.nanoTime();
        DMatrixRMaj r = factor(what, gram);
        long t1 = System.nanoTime();
        if (r.get(0, 0) <= 0) {
            throw new IllegalStateException("not a factor");
        }
        return (t1 - t0) / 1e9;
    }

    private static DMatrixRMaj factor(String what, DMatrixRMaj gram) {
        switch (what) {
            case "gram":
                return GramFactor.of(gram).factor();
            case "inner":
                return ejml(new CholeskyDecompositionInner_DDRM(false), gram);
            case "inner-lower":
                return CommonOps_DDRM.transpose(ejml(new CholeskyDecompositionInner_DDRM(true), gram), null);
            case "block":
                return ejml(new CholeskyDecomposition_DDRB_to_DDRM(false), gram);
            default:
                throw new IllegalArgumentException(what);
        }
    }

    private static DMatrixRMaj ejml(CholeskyDecomposition_F64<DMatrixRMaj> chol, DMatrixRMaj gram) {
        if (!chol.decompose(gram.copy())) {
            throw new IllegalStateException("not positive definite");
        }
        return chol.getT(null);
    }

    /** X^T X for a Gaussian 2d x d X: a Gram matrix as W_E's, well conditioned. */
    static DMatrixRMaj gram(int d) {
        Random rnd = new Random(1);
        DMatrixRMaj x = new DMatrixRMaj(2 * d, d);
        for (int i = 0; i < x.data.length; i++) {
            x.data[i] = rnd.nextGaussian();
        }
        DMatrixRMaj g = new DMatrixRMaj(d, d);
        CommonOps_DDRM.multTransA(x, x, g);
        return g;
    }
}

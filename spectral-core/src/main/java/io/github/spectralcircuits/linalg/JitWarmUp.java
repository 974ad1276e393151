package io.github.spectralcircuits.linalg;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * Brings a SIMD kernel to compiled speed before real work is given to it. The Vector API is only
 * fast once the JIT's optimising compiler (C2) has compiled the loop that uses it: before that,
 * every vector operation allocates, and a Gram of V x d x d spent most of its first half second
 * in such code (longer inside Maven, whose JVM has its own classes queued for compilation). Here
 * the micro-kernel is called on a tiny problem (microseconds per call even unoptimised) until
 * batches of calls run at compiled speed: about 0.3 s of one core while the compiler thread uses
 * the other. Measured in fresh JVMs on the reference Gram: 1.5 s of CPU with the warm-up against
 * 1.8 s without; and started before the model is opened ({@link DenseKernel#prepareInBackground()})
 * its wall time is mostly hidden.
 */
final class JitWarmUp {
    /** The warm-up gives up after this (a very loaded machine); the kernel is still used, and compiles later. */
    private static final long BUDGET_NANOS = 2_000_000_000L;
    /** Rows per call: enough for C2 to see a real loop, few enough that unoptimised calls are cheap. */
    private static final int K = 8;
    private static final int BATCH = 500;
    /**
     * Per call of K rows. Compiled, a call takes about 60-120 ns on this machine; unoptimised it takes
     * 5-50 microseconds. The threshold sits between, with a margin for a loaded machine.
     */
    private static final long COMPILED_NANOS_PER_CALL = 600;
    /** Consecutive fast batches required, so that one lucky batch does not end the warm-up. */
    private static final int FAST_BATCHES = 3;

    private JitWarmUp() {
    }

    /**
     * False when this JVM runs without C2 (-Xint, -XX:TieredStopAtLevel=1..3, ...): the Vector API
     * is then tens of times slower than plain loops, which the first compiler handles well.
     */
    static boolean optimisingCompilerPresent() {
        try {
            HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (hotSpot == null) {
                return true;
            }
            boolean tiered = Boolean.parseBoolean(hotSpot.getVMOption("TieredCompilation").getValue());
            int stopAt = Integer.parseInt(hotSpot.getVMOption("TieredStopAtLevel").getValue());
            boolean compiler = Boolean.parseBoolean(hotSpot.getVMOption("UseCompiler").getValue());
            return compiler && (!tiered || stopAt >= 4);
        } catch (RuntimeException | LinkageError e) {
            // Not HotSpot, or the flags are named differently: assume an optimising JIT.
            return true;
        }
    }

    /** Calls the micro-kernel until it runs at compiled speed; true if it did within the budget. */
    static boolean warmUp(MicroKernel kernel) {
        double[] a = filled(K * kernel.rows());
        double[] b = filled(K * kernel.cols());
        double[] c = new double[kernel.rows() * kernel.cols()];
        long start = System.nanoTime();
        int fast = 0;
        while (System.nanoTime() - start < BUDGET_NANOS) {
            long t0 = System.nanoTime();
            for (int i = 0; i < BATCH; i++) {
                kernel.multiply(a, 0, b, 0, K, c, 0);
            }
            long perCall = (System.nanoTime() - t0) / BATCH;
            fast = perCall < COMPILED_NANOS_PER_CALL ? fast + 1 : 0;
            if (fast == FAST_BATCHES) {
                return true;
            }
        }
        return false;
    }

    /**
     * Calls each of the QR sweeps on short columns until they run at compiled speed (compiled, a pair of
     * round of calls on 64 rows takes well under a microsecond; uncompiled Vector API code, tens).
     */
    static boolean warmUp(ReflectorSweeps sweeps) {
        int m = 64;
        double[][] v = new double[8][];
        for (int q = 0; q < 8; q++) {
            v[q] = filled(m);
        }
        double[] x = filled(m);
        double[] y = new double[8];
        long start = System.nanoTime();
        int fast = 0;
        while (System.nanoTime() - start < BUDGET_NANOS) {
            long t0 = System.nanoTime();
            for (int i = 0; i < BATCH; i++) {
                sweeps.dots8(v, x, 0, 1, m, y);
                // Subtracting zero keeps x unchanged however long the warm-up runs.
                sweeps.subtract8(x, 0, 1, m, v, new double[8]);
                sweeps.dots4(x, v[0], 0, 16, 1, y, 0);
                y[4] = sweeps.dot(x, v[1], 0, m, 1);
            }
            long perCall = (System.nanoTime() - t0) / BATCH;
            fast = perCall < 2 * COMPILED_NANOS_PER_CALL ? fast + 1 : 0;
            if (fast == FAST_BATCHES) {
                return true;
            }
        }
        return false;
    }

    private static double[] filled(int n) {
        double[] d = new double[n];
        java.util.Arrays.fill(d, 1e-3);
        return d;
    }
}

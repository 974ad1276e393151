package io.github.spectralcircuits.linalg;

/**
 * The few dense products the factored method spends its time in, on row-major double arrays.
 * EJML's multiply runs at a fraction of the machine's speed on d x d x d and V x d x d products
 * (measured: W_E^T W_E for 50257 x 768 takes 15.6 s single-threaded, 8.3 s on two threads), so
 * these are written here, GotoBLAS-style ({@link PackedProduct}): with SIMD through the incubating
 * Vector API when the JVM was started with {@code --add-modules jdk.incubator.vector}, and as
 * register-tiled plain loops otherwise. Both accumulate in double; results are independent of the
 * thread count.
 */
public interface DenseKernel {

    /** c[i*nb + j] += sum over r < p of a[r*na + i] * b[r*nb + j]  (C += A^T B, A p x na, B p x nb). */
    default void addTransAB(double[] a, double[] b, int p, int na, int nb, double[] c) {
        addTransAB(a, b, p, na, nb, c, 0, na, false);
    }

    /**
     * Rows [i0, i1) of C += A^T B. With {@code aLowerTriangular}, a[r*na + i] is taken to be 0 for
     * r < i (A^T upper triangular, as a Cholesky factor is), and those terms are skipped: half the work.
     */
    void addTransAB(double[] a, double[] b, int p, int na, int nb, double[] c, int i0, int i1, boolean aLowerTriangular);

    /** The upper triangle (j >= i) of c += X^T X for X p x n; the entries below the diagonal are not touched. */
    void addGramUpper(double[] x, int p, int n, double[] c);

    String name();

    /**
     * The SIMD kernel when the Vector API is available to this JVM (and its optimising JIT is on),
     * otherwise the plain one. The first call waits for the SIMD kernel's JIT warm-up.
     */
    static DenseKernel best() {
        return Kernels.best();
    }

    /**
     * Starts choosing (and warming up) the kernel on a background thread and returns at once: call it
     * before work that does not need the kernel, such as opening a model, to hide the warm-up.
     */
    static void prepareInBackground() {
        Kernels.start();
    }

    /** The plain-Java kernel, always available (also used to cross-check the SIMD one). */
    static DenseKernel scalar() {
        return ScalarKernel.INSTANCE;
    }
}

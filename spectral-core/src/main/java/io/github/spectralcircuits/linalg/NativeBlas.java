package io.github.spectralcircuits.linalg;

import java.util.Locale;
import java.util.Optional;

/**
 * The large products on a native BLAS (OpenBLAS, as packaged for Java by JavaCPP's presets) when it is on
 * the class path and loads here, else nothing and the own kernels do the work.
 *
 * <p>Why: measured on this 2-core AVX-512 machine in one quiet moment, the Gram of 50257 x 768 took 0.25 s
 * with OpenBLAS's dsyrk from Java (59 G multiply-adds/s, in 2048-row panels), the same as numpy's 0.25 s, and
 * 0.35-0.65 s with the own SIMD kernel (23-43 G/s); a 4096 x 4096 x 4096 dgemm runs at about 75 G/s. The
 * 7B-13B shapes spend 10^13 multiply-adds in such products, so this is the difference between minutes.
 *
 * <p>Why optional and loaded only for large models: the native library is 60 MB unpacked, and loading it
 * costs about 0.3 s of CPU, more than it saves on the reference workload (TinyStories-33M: 15 G
 * multiply-adds in all, about 0.3 s faster). {@link #activateFor} loads it when the model's products are
 * worth it; the classes that name JavaCPP's types ({@link OpenBlas}) are only touched by reflection, so the
 * core runs where the jars are absent (another OS or CPU) or fail to load, on the own kernels.
 * The choice ({@link #choose}: the request's nativeBlas, {@code --native-blas} on the command line,
 * {@code spectral.nativeBlas} in Maven): "false" never loads it, "true" loads it for any size (tests), "auto"
 * by the size of the work. The system property {@code spectral.nativeBlas} is only the initial choice, for
 * benchmarks that call the library directly.
 */
public abstract class NativeBlas {
    /** System property with the initial choice: "false" never, "true" always, "auto" by the size of the work. */
    public static final String PROPERTY = "spectral.nativeBlas";
    /** The choices {@link #choose} takes. */
    public static final java.util.List<String> CHOICES = java.util.List.of("auto", "true", "false");
    /** Multiply-adds of the embedding Gram above which loading the library pays (7B: 2.7e11; TinyStories-33M: 1.5e10). */
    static final double WORTH_LOADING = 1e11;
    /** Products smaller than this (multiply-adds) stay on the own kernels: a native call's copies would cost more. */
    static final double NATIVE_MIN_WORK = 5e7;

    /** {@link #NATIVE_MIN_WORK}, lowered by tests so that small products go native too. */
    static volatile double minWork = NATIVE_MIN_WORK;
    private static volatile NativeBlas active;
    private static volatile String unavailable = "not loaded";
    private static volatile String choice = normalized(System.getProperty(PROPERTY, "auto"));

    /** "auto", "true" or "false" as {@link #CHOICES} spells them, whatever the case and spaces; null if none of them. */
    public static String normalized(String value) {
        String v = value == null ? "auto" : value.trim().toLowerCase(Locale.ROOT);
        return CHOICES.contains(v) ? v : null;
    }

    /** Sets the choice for the next {@link #activateFor} ("false" also switches an active library off). */
    public static synchronized void choose(String value) {
        String v = normalized(value);
        if (v == null) {
            throw new IllegalArgumentException("native BLAS choice " + value + " is none of " + CHOICES);
        }
        choice = v;
    }

    /** The library in use, if {@link #activateFor} or {@link #activate} loaded it. */
    public static Optional<NativeBlas> active() {
        return Optional.ofNullable(active);
    }

    /**
     * Loads the native library when a model whose embedding Gram costs {@code gramMultiplyAdds} makes it worth
     * it (and the system property allows), once per JVM. Returns a line for the log saying which kernel runs.
     */
    public static synchronized String activateFor(double gramMultiplyAdds) {
        String choice = NativeBlas.choice == null ? "auto" : NativeBlas.choice;
        if (choice.equals("false")) {
            active = null;
            unavailable = "switched off ({{nativeBlas=false}})";
            return describe();
        }
        if (active == null && (choice.equals("true") || gramMultiplyAdds >= WORTH_LOADING)) {
            activate();
        }
        return describe();
    }

    /** Loads the library whatever the size of the work; false (and the reason kept) when it cannot be loaded. */
    static synchronized boolean activate() {
        return activate("io.github.spectralcircuits.linalg.OpenBlas");
    }

    /** As {@link #activate()} with the implementing class named (tests name one that cannot load). */
    static synchronized boolean activate(String implementation) {
        if (active != null) {
            return true;
        }
        try {
            active = (NativeBlas) Class.forName(implementation).getDeclaredConstructor().newInstance();
            return true;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            unavailable = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            return false;
        }
    }

    /** Switches back to the own kernels (tests compare the two). */
    static synchronized void deactivate() {
        active = null;
        unavailable = "switched off";
    }

    /** "Kernel: OpenBLAS 0.3.31 (native, 2 threads)" or the own kernel's name and why not native. */
    public static String describe() {
        NativeBlas n = active;
        return n != null ? "Kernel: " + n.name() + " for the large products"
                : "Kernel: " + DenseKernel.best().name() + " (Java; native BLAS " + unavailable + ")";
    }

    /** Whether a product of this many multiply-adds goes to the native library. */
    static Optional<NativeBlas> forWork(double multiplyAdds) {
        NativeBlas n = active;
        return n != null && multiplyAdds >= minWork ? Optional.of(n) : Optional.empty();
    }

    abstract String name();

    /** X^T X (full symmetric, row-major n x n) of a tall matrix read a panel of rows at a time. */
    abstract double[] gram(RowMatrix x);

    /** A^T B (na x nb, row-major) of two tall matrices with the same rows, read a panel at a time. */
    abstract double[] crossProduct(RowMatrix a, RowMatrix b);

    /** Upper triangular R with R^T R = G (row-major n x n, zero below the diagonal), or null when G is not positive definite. */
    abstract double[] choleskyUpper(double[] g, int n);

    /** X with X R = B, R upper triangular n x n, B row-major m x n: a new array. */
    abstract double[] solveRightUpper(double[] b, int m, double[] r, int n);

    /** A square m x m left operand copied into native memory once and multiplied with many right operands. */
    abstract Left left(double[] a, int m, boolean upperTriangular);

    /**
     * The singular values of the upper bidiagonal matrix (diag, off), descending (LAPACK's dbdsqr without
     * vectors: the dqds algorithm), or null if it did not converge. The arrays are not changed.
     */
    abstract double[] bidiagonalSingularValues(double[] diag, double[] off);

    /** A {@link BlockProducts} workspace in native memory (square: row-major m x m, or null). */
    abstract BlockProducts blockProducts(int m, int[] tallWidth, int[] wideRows, double[] square);

    /** A left operand held in native memory until closed. */
    abstract static class Left implements AutoCloseable {
        /** A B for row-major B (m x n): a new row-major m x n array. */
        abstract double[] times(double[] b, int n);

        @Override
        public abstract void close();
    }
}

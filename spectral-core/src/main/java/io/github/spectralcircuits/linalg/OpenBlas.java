package io.github.spectralcircuits.linalg;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * {@link NativeBlas} on OpenBLAS through JavaCPP's presets (org.bytedeco:openblas, with its LAPACK for
 * the Cholesky factor: at d = 4096 the own row-by-row Cholesky took 47 s on a loaded machine where dpotrf
 * took 5.4 s; loading the larger binding costs a few tenths of a second more, paid only by large models). Only {@link NativeBlas#activate} names this class, by reflection,
 * so that nothing of JavaCPP is loaded unless it is wanted and present. OpenBLAS runs its own threads,
 * one per core (its default); its results do not depend on the calls' panel sizes beyond rounding.
 *
 * <p>Matrices are copied into native buffers and back: the tall matrices a panel at a time (decoded
 * from the mapped weights into a Java array first), the d x d left operands once per analysis
 * ({@link Left}), each group of heads' right operands once per product.
 */
final class OpenBlas extends NativeBlas {
    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;
    private static final int UPPER = 121;
    private static final int LEFT = 141;
    private static final int RIGHT = 142;
    private static final int NON_UNIT = 131;
    /** Rows per syrk/gemm call: 1024 to the whole matrix measured within 5 % of each other (50257 x 768). */
    static final int PANEL_ROWS = 1024;

    OpenBlas() {
        // JavaCPP refuses allocations beyond limits tied to the Java heap (maxPhysicalBytes counts the
        // process's resident set, mapped weights included); the analysis sizes its own buffers.
        if (System.getProperty("org.bytedeco.javacpp.maxBytes") == null) {
            System.setProperty("org.bytedeco.javacpp.maxBytes", "0");
        }
        if (System.getProperty("org.bytedeco.javacpp.maxPhysicalBytes") == null) {
            System.setProperty("org.bytedeco.javacpp.maxPhysicalBytes", "0");
        }
        Loader.load(openblas.class);
        // a first call, so that a library that loads but cannot run fails here, not in the analysis
        double[] c = new double[1];
        openblas.cblas_dgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, 1, 1, 1, 1.0, new double[] {2}, 1,
                new double[] {3}, 1, 0.0, c, 1);
        if (c[0] != 6.0) {
            throw new IllegalStateException("OpenBLAS computed 2 x 3 = " + c[0]);
        }
    }

    @Override
    String name() {
        return "OpenBLAS (native, " + Runtime.getRuntime().availableProcessors() + " threads)";
    }

    @Override
    double[] gram(RowMatrix x) {
        int n = x.cols();
        int rows = x.rows();
        int panel = Math.min(PANEL_ROWS, Math.max(1, rows));
        double[] buffer = new double[panel * n];
        try (DoublePointer p = new DoublePointer((long) panel * n); DoublePointer c = new DoublePointer((long) n * n)) {
            for (int first = 0; first < rows; first += panel) {
                int count = Math.min(panel, rows - first);
                x.readRows(first, count, buffer);
                p.put(buffer, 0, count * n);
                openblas.cblas_dsyrk(ROW_MAJOR, UPPER, TRANS, n, count, 1.0, p, n, first == 0 ? 0.0 : 1.0, c, n);
            }
            double[] g = new double[n * n];
            c.get(g);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    g[i * n + j] = g[j * n + i];
                }
            }
            return g;
        }
    }

    @Override
    double[] crossProduct(RowMatrix a, RowMatrix b) {
        int na = a.cols();
        int nb = b.cols();
        int rows = a.rows();
        int panel = Math.min(PANEL_ROWS, Math.max(1, rows));
        double[] bufA = new double[panel * na];
        double[] bufB = new double[panel * nb];
        try (DoublePointer pa = new DoublePointer((long) panel * na); DoublePointer pb = new DoublePointer((long) panel * nb);
             DoublePointer c = new DoublePointer((long) na * nb)) {
            for (int first = 0; first < rows; first += panel) {
                int count = Math.min(panel, rows - first);
                a.readRows(first, count, bufA);
                b.readRows(first, count, bufB);
                pa.put(bufA, 0, count * na);
                pb.put(bufB, 0, count * nb);
                openblas.cblas_dgemm(ROW_MAJOR, TRANS, NO_TRANS, na, nb, count, 1.0, pa, na, pb, nb,
                        first == 0 ? 0.0 : 1.0, c, nb);
            }
            double[] out = new double[na * nb];
            c.get(out);
            return out;
        }
    }

    @Override
    double[] choleskyUpper(double[] g, int n) {
        try (DoublePointer p = new DoublePointer((long) n * n)) {
            p.put(g, 0, n * n);
            int info = openblas.LAPACKE_dpotrf(ROW_MAJOR, (byte) 'U', n, p, n);
            if (info != 0) {
                return null;
            }
            double[] r = new double[n * n];
            p.get(r);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    r[i * n + j] = 0; // dpotrf leaves the lower triangle as it was
                }
            }
            return r;
        }
    }

    @Override
    double[] solveRightUpper(double[] b, int m, double[] r, int n) {
        try (DoublePointer pr = new DoublePointer((long) n * n); DoublePointer pb = new DoublePointer((long) m * n)) {
            pr.put(r, 0, n * n);
            pb.put(b, 0, m * n);
            openblas.cblas_dtrsm(ROW_MAJOR, RIGHT, UPPER, NO_TRANS, NON_UNIT, m, n, 1.0, pr, n, pb, n);
            double[] x = new double[m * n];
            pb.get(x);
            return x;
        }
    }

    @Override
    Left left(double[] a, int m, boolean upperTriangular) {
        DoublePointer p = new DoublePointer((long) m * m);
        p.put(a, 0, m * m);
        return new Left() {
            private DoublePointer held = p;

            @Override
            double[] times(double[] b, int n) {
                if (held == null) {
                    throw new IllegalStateException("the native operand was closed");
                }
                double[] out = new double[m * n];
                try (DoublePointer pb = new DoublePointer((long) m * n)) {
                    pb.put(b, 0, m * n);
                    if (upperTriangular) {
                        openblas.cblas_dtrmm(ROW_MAJOR, LEFT, UPPER, NO_TRANS, NON_UNIT, m, n, 1.0, held, m, pb, n);
                        pb.get(out);
                    } else {
                        try (DoublePointer pc = new DoublePointer((long) m * n)) {
                            openblas.cblas_dgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, m, n, m, 1.0, held, m, pb, n, 0.0, pc, n);
                            pc.get(out);
                        }
                    }
                }
                return out;
            }

            @Override
            public void close() {
                if (held != null) {
                    held.close();
                    held = null;
                }
            }
        };
    }
}

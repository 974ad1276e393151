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
    private static final int COL_MAJOR = 102;
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

    @Override
    double[] bidiagonalSingularValues(double[] diag, double[] off) {
        int n = diag.length;
        double[] d = diag.clone();
        double[] e = java.util.Arrays.copyOf(off, Math.max(1, n - 1));
        double[] none = new double[1];
        int info = openblas.LAPACKE_dbdsqr(COL_MAJOR, (byte) 'U', n, 0, 0, 0, d, e, none, 1, none, 1, none, 1);
        return info == 0 ? d : null;
    }

    @Override
    BlockProducts blockProducts(int m, int[] tallWidth, int[] wideRows, double[] square) {
        return new NativeBlocks(m, tallWidth, wideRows, square);
    }

    /**
     * The workspace's matrices in native buffers, allocated once; each product one BLAS call on the blocks
     * where they lie (an offset into the buffer, the buffer's row length as leading dimension).
     */
    private static final class NativeBlocks extends BlockProducts {
        private final DoublePointer[] tall;
        private final DoublePointer[] wide;
        private final DoublePointer squareOperand;

        NativeBlocks(int m, int[] tallWidth, int[] wideRows, double[] square) {
            super(m, tallWidth, wideRows, square != null);
            this.tall = new DoublePointer[tallWidth.length];
            this.wide = new DoublePointer[wideRows.length];
            for (int t = 0; t < tall.length; t++) {
                tall[t] = new DoublePointer((long) m * tallWidth[t]);
            }
            for (int w = 0; w < wide.length; w++) {
                wide[w] = new DoublePointer((long) m * wideRows[w]);
            }
            DoublePointer s = null;
            if (square != null) {
                s = new DoublePointer((long) m * m);
                s.put(square, 0, m * m);
            }
            this.squareOperand = s;
        }

        private DoublePointer tall(int t) {
            if (tall[t] == null) {
                throw new IllegalStateException("the native workspace was closed");
            }
            return tall[t];
        }

        private DoublePointer wide(int w) {
            if (wide[w] == null) {
                throw new IllegalStateException("the native workspace was closed");
            }
            return wide[w];
        }

        /** A view of p from element offset on (a Pointer of its own, so that threads do not share a position). */
        private static DoublePointer at(DoublePointer p, long offset) {
            return new DoublePointer(p).position(p.position() + offset);
        }

        @Override
        public void fillTall(int t, int cols, RowSource source) {
            checkTall(t, cols);
            fill(tall(t), m, cols, tallWidth[t], source);
        }

        @Override
        public void fillWide(int w, int rows, RowSource source) {
            checkWide(w, rows);
            fill(wide(w), rows, m, m, source);
        }

        private static void fill(DoublePointer base, int rows, int cols, int stride, RowSource source) {
            java.util.stream.IntStream.range(0, (rows + CHUNK - 1) / CHUNK).parallel().forEach(k -> {
                double[] row = new double[cols];
                DoublePointer view = new DoublePointer(base);
                for (int r = k * CHUNK; r < Math.min(rows, (k + 1) * CHUNK); r++) {
                    source.row(r, row);
                    view.position((long) r * stride).put(row, 0, cols);
                }
            });
        }

        @Override
        public void multiplySquare(int in, int out, int cols) {
            checkSquare();
            checkTall(in, cols);
            checkTall(out, cols);
            checkSameWidth(in, out);
            openblas.cblas_dgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, m, cols, m, 1.0, squareOperand, m, tall(in), tallWidth[in],
                    0.0, tall(out), tallWidth[out]);
        }

        /**
         * Each product on one OpenBLAS thread, the products spread over the cores by Java's threads: measured
         * on 128 x 128 x 4096 blocks, OpenBLAS's two threads on one product reach about 38 G multiply-adds/s on a
         * quiet machine, but on a loaded one each call waits for its second thread to be scheduled and the same
         * 192 calls of a 7B layer took 2 to 17 s instead of 0.3 s; a product per thread does not wait. The
         * library's thread count is global: it is restored when the batch is done (the analysis makes no other
         * native calls meanwhile; a concurrent one would only run on one thread). The presets' getter answers
         * -1 until a count was set, and OpenBLAS takes a count below 1 as its default (one thread per core, or
         * OPENBLAS_NUM_THREADS), so restoring -1 restores that default (measured: the next d x d products ran
         * at the two threads' 81 G multiply-adds/s again).
         */
        @Override
        public synchronized double[][] products(java.util.List<Product> batch) {
            double[][] results = new double[batch.size()][];
            int threads = org.bytedeco.openblas.presets.openblas_nolapack.blas_get_num_threads();
            org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(1);
            try {
                java.util.stream.IntStream.range(0, batch.size()).parallel().forEach(i -> results[i] = product(batch.get(i)));
            } finally {
                org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(threads);
            }
            return results;
        }

        private double[] product(Product p) {
            int n = n(p);
            boolean gram = false;
            try (DoublePointer out = new DoublePointer((long) n * n)) {
                if (p instanceof TallGram g) {
                    openblas.cblas_dsyrk(ROW_MAJOR, UPPER, TRANS, n, m, 1.0, at(tall(g.t()), g.from()), tallWidth[g.t()], 0.0, out, n);
                    gram = true;
                } else if (p instanceof TallCross c) {
                    openblas.cblas_dgemm(ROW_MAJOR, TRANS, NO_TRANS, n, n, m, 1.0, at(tall(c.a()), c.aFrom()), tallWidth[c.a()],
                            at(tall(c.b()), c.bFrom()), tallWidth[c.b()], 0.0, out, n);
                } else if (p instanceof WideGram g) {
                    openblas.cblas_dsyrk(ROW_MAJOR, UPPER, NO_TRANS, n, m, 1.0, at(wide(g.w()), (long) g.from() * m), m, 0.0, out, n);
                    gram = true;
                } else {
                    WideTimesTall x = (WideTimesTall) p;
                    openblas.cblas_dgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, n, n, m, 1.0, at(wide(x.w()), (long) x.wFrom() * m), m,
                            at(tall(x.t()), x.tFrom()), tallWidth[x.t()], 0.0, out, n);
                }
                double[] r = new double[n * n];
                out.get(r, 0, n * n);
                if (gram) {
                    symmetrise(r, n);
                }
                return r;
            }
        }

        private static int n(Product p) {
            if (p instanceof TallGram g) {
                return g.n();
            }
            if (p instanceof TallCross c) {
                return c.n();
            }
            if (p instanceof WideGram g) {
                return g.n();
            }
            return ((WideTimesTall) p).n();
        }

        @Override
        public double[] tallBlockColumns(int t, int from, int n) {
            double[] row = new double[n];
            double[] a = new double[m * n];
            DoublePointer view = new DoublePointer(tall(t));
            for (int r = 0; r < m; r++) {
                view.position((long) r * tallWidth[t] + from).get(row, 0, n);
                for (int c = 0; c < n; c++) {
                    a[c * m + r] = row[c];
                }
            }
            return a;
        }

        @Override
        public double[] wideBlockColumns(int w, int from, int n) {
            double[] a = new double[m * n];
            DoublePointer view = new DoublePointer(wide(w));
            for (int c = 0; c < n; c++) {
                view.position((long) (from + c) * m).get(a, c * m, m);
            }
            return a;
        }

        @Override
        public synchronized void close() {
            for (DoublePointer p : tall) {
                if (p != null) {
                    p.close();
                }
            }
            for (DoublePointer p : wide) {
                if (p != null) {
                    p.close();
                }
            }
            java.util.Arrays.fill(tall, null);
            java.util.Arrays.fill(wide, null);
            if (squareOperand != null) {
                squareOperand.close();
            }
        }
    }
}

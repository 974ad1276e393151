package io.github.spectralcircuits.linalg;

import java.util.List;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;

/**
 * A workspace of matrices that share a long dimension m (d_model) and the small products of their blocks:
 * "tall" matrices (m x width, column blocks) and "wide" ones (width x m, row blocks), an optional square
 * m x m operand, and for a batch of blocks of n columns (or rows) their n x n Grams and cross products.
 * Filled a row at a time from a {@link RowSource}, so the operands are written once, scaled as they are
 * copied, and the buffers are reused from one group of heads to the next (no fresh arrays per layer).
 *
 * <p>Why: the random control's heads (diagonal embedding factors) need per head only d_head x d_head Grams
 * and cross products of d x d_head blocks, and, untied, one d x d product per layer; on the native BLAS the
 * blocks are multiplied where they lie (an offset and a leading dimension), one call each, and on the own
 * kernels ({@link DenseProducts#multTransABlocks}) in parallel over the blocks. Closing frees the native buffers.
 */
public abstract class BlockProducts implements AutoCloseable {
    /** Fills one row of a matrix: dst holds the row's used columns. */
    @FunctionalInterface
    public interface RowSource {
        void row(int r, double[] dst);
    }

    /** One product of a batch, n x n. */
    public sealed interface Product {
    }

    /** T[:, from .. from + n)^T T[:, from .. from + n) of tall matrix t. */
    public record TallGram(int t, int from, int n) implements Product {
    }

    /** A[:, aFrom ..)^T B[:, bFrom ..) (n x n) of tall matrices a and b. */
    public record TallCross(int a, int aFrom, int b, int bFrom, int n) implements Product {
    }

    /** W[from .. from + n, :] W[from .. from + n, :]^T of wide matrix w. */
    public record WideGram(int w, int from, int n) implements Product {
    }

    /** W[wFrom .. wFrom + n, :] T[:, tFrom .. tFrom + n) of wide matrix w and tall matrix t. */
    public record WideTimesTall(int w, int wFrom, int t, int tFrom, int n) implements Product {
    }

    final int m;
    /** Columns of each tall matrix (its row length), rows of each wide one. */
    final int[] tallWidth;
    final int[] wideRows;
    final boolean square;

    BlockProducts(int m, int[] tallWidth, int[] wideRows, boolean square) {
        if (m <= 0 || java.util.Arrays.stream(tallWidth).anyMatch(w -> w <= 0) || java.util.Arrays.stream(wideRows).anyMatch(w -> w <= 0)) {
            throw new IllegalArgumentException("a block workspace of tall matrices " + m + " x " + java.util.Arrays.toString(tallWidth)
                    + " and wide ones " + java.util.Arrays.toString(wideRows) + " x " + m);
        }
        this.m = m;
        this.tallWidth = tallWidth.clone();
        this.wideRows = wideRows.clone();
        this.square = square;
    }

    /**
     * A workspace on the native BLAS when it is active and a batch of blocks this size is worth a call
     * ({@link NativeBlas#forWork}), else on the own kernels.
     *
     * @param m         the shared dimension
     * @param tallWidth the columns of each tall matrix (m x tallWidth[t])
     * @param wideRows  the rows of each wide matrix (wideRows[w] x m)
     * @param square    an m x m left operand for {@link #multiplySquare}, or null
     */
    public static BlockProducts create(int m, int[] tallWidth, int[] wideRows, DMatrixRMaj square) {
        if (square != null && (square.numRows != m || square.numCols != m)) {
            throw new IllegalArgumentException("the square operand is " + square.numRows + " x " + square.numCols + ", not " + m + " x " + m);
        }
        int widest = java.util.stream.IntStream.concat(java.util.Arrays.stream(tallWidth), java.util.Arrays.stream(wideRows)).max().orElse(1);
        var blas = NativeBlas.forWork((double) m * widest * Math.min(widest, 128));
        if (blas.isPresent()) {
            return blas.get().blockProducts(m, tallWidth, wideRows, square == null ? null : square.data);
        }
        return onJava(m, tallWidth, wideRows, square);
    }

    /** The own kernels' workspace whatever the size (tests compare it with the native one). */
    static BlockProducts onJava(int m, int[] tallWidth, int[] wideRows, DMatrixRMaj square) {
        return new OnJava(m, tallWidth, wideRows, square);
    }

    public int m() {
        return m;
    }

    /** Whether the workspace holds tall matrices of these widths and wide ones of these rows, so can be reused. */
    public boolean fits(int[] tallWidth, int[] wideRows) {
        return java.util.Arrays.equals(this.tallWidth, tallWidth) && java.util.Arrays.equals(this.wideRows, wideRows);
    }

    /** Columns [0, cols) of tall matrix t, row r (0 <= r < m) from source.row(r, dst) with dst.length == cols. */
    public abstract void fillTall(int t, int cols, RowSource source);

    /** Rows [0, rows) of wide matrix w, each of m entries, from source.row(r, dst). */
    public abstract void fillWide(int w, int rows, RowSource source);

    /** Columns [0, cols) of tall matrix out = S times those of tall matrix in (of the same width), S the square operand. */
    public abstract void multiplySquare(int in, int out, int cols);

    /** The batch's products, each n x n row-major (Grams symmetric, both triangles). */
    public abstract double[][] products(List<Product> batch);

    /** Columns [from, from + n) of tall matrix t, column-major (m x n): for a QR of the block. */
    public abstract double[] tallBlockColumns(int t, int from, int n);

    /** Rows [from, from + n) of wide matrix w transposed (m x n), column-major. */
    public abstract double[] wideBlockColumns(int w, int from, int n);

    @Override
    public abstract void close();

    void checkTall(int t, int cols) {
        if (t < 0 || t >= tallWidth.length || cols < 0 || cols > tallWidth[t]) {
            throw new IllegalArgumentException("tall matrix " + t + " of " + tallWidth.length + ", " + cols + " columns of "
                    + (t < 0 || t >= tallWidth.length ? "none" : tallWidth[t]));
        }
    }

    void checkWide(int w, int rows) {
        if (w < 0 || w >= wideRows.length || rows < 0 || rows > wideRows[w]) {
            throw new IllegalArgumentException("wide matrix " + w + " of " + wideRows.length + ", " + rows + " rows of "
                    + (w < 0 || w >= wideRows.length ? "none" : wideRows[w]));
        }
    }

    void checkSameWidth(int in, int out) {
        if (tallWidth[in] != tallWidth[out]) {
            throw new IllegalArgumentException("S times tall matrix " + in + " (" + tallWidth[in] + " columns) into one of "
                    + tallWidth[out] + " columns");
        }
    }

    void checkSquare() {
        if (!square) {
            throw new IllegalStateException("this workspace has no square operand");
        }
    }

    /** Row chunks for filling in parallel: each task fills rows [k * CHUNK, ...) with its own row buffer. */
    static final int CHUNK = 64;

    /**
     * The own kernels: tall matrices as row-major m x width arrays, wide ones stored transposed (m x width)
     * so that every product is A^T B of column blocks on the packed kernel, blocks spread over the cores.
     */
    private static final class OnJava extends BlockProducts {
        private final double[][] tall;
        private final double[][] wideT;
        private final DMatrixRMaj squareOperand;
        private final DenseProducts products = new DenseProducts(DenseKernel.best());

        OnJava(int m, int[] tallWidth, int[] wideRows, DMatrixRMaj square) {
            super(m, tallWidth, wideRows, square != null);
            this.tall = new double[tallWidth.length][];
            this.wideT = new double[wideRows.length][];
            for (int t = 0; t < tall.length; t++) {
                tall[t] = new double[m * tallWidth[t]];
            }
            for (int w = 0; w < wideT.length; w++) {
                wideT[w] = new double[m * wideRows[w]];
            }
            this.squareOperand = square;
        }

        private double[] tall(int t) {
            return tall[t];
        }

        private double[] wide(int w) {
            return wideT[w];
        }

        @Override
        public void fillTall(int t, int cols, RowSource source) {
            checkTall(t, cols);
            double[] a = tall(t);
            int width = tallWidth[t];
            IntStream.range(0, (m + CHUNK - 1) / CHUNK).parallel().forEach(k -> {
                double[] row = new double[cols];
                for (int r = k * CHUNK; r < Math.min(m, (k + 1) * CHUNK); r++) {
                    source.row(r, row);
                    System.arraycopy(row, 0, a, r * width, cols);
                }
            });
        }

        @Override
        public void fillWide(int w, int rows, RowSource source) {
            checkWide(w, rows);
            double[] a = wide(w);
            int width = wideRows[w];
            IntStream.range(0, (rows + CHUNK - 1) / CHUNK).parallel().forEach(k -> {
                double[] row = new double[m];
                for (int r = k * CHUNK; r < Math.min(rows, (k + 1) * CHUNK); r++) {
                    source.row(r, row);
                    for (int c = 0; c < m; c++) {
                        a[c * width + r] = row[c];
                    }
                }
            });
        }

        @Override
        public void multiplySquare(int in, int out, int cols) {
            checkSquare();
            checkTall(in, cols);
            checkTall(out, cols);
            checkSameWidth(in, out);
            DMatrixRMaj b = DMatrixRMaj.wrap(m, tallWidth[in], tall(in));
            System.arraycopy(products.mult(squareOperand, b).data, 0, tall(out), 0, m * Math.min(tallWidth[in], tallWidth[out]));
        }

        @Override
        public double[][] products(List<Product> batch) {
            return IntStream.range(0, batch.size()).parallel().mapToObj(i -> product(batch.get(i))).toArray(double[][]::new);
        }

        private double[] product(Product p) {
            if (p instanceof TallGram g) {
                DMatrixRMaj a = tallMatrix(g.t());
                return symmetrise(products.multTransABlocks(a, g.from(), g.n(), a, g.from(), g.n()));
            }
            if (p instanceof TallCross c) {
                return products.multTransABlocks(tallMatrix(c.a()), c.aFrom(), c.n(), tallMatrix(c.b()), c.bFrom(), c.n()).data;
            }
            if (p instanceof WideGram g) {
                DMatrixRMaj a = wideMatrix(g.w());
                return symmetrise(products.multTransABlocks(a, g.from(), g.n(), a, g.from(), g.n()));
            }
            WideTimesTall x = (WideTimesTall) p;
            return products.multTransABlocks(wideMatrix(x.w()), x.wFrom(), x.n(), tallMatrix(x.t()), x.tFrom(), x.n()).data;
        }

        private static double[] symmetrise(DMatrixRMaj g) {
            BlockProducts.symmetrise(g.data, g.numRows);
            return g.data;
        }

        private DMatrixRMaj tallMatrix(int t) {
            return DMatrixRMaj.wrap(m, tallWidth[t], tall(t));
        }

        /** The wide matrix as it is stored, transposed: m x rows. */
        private DMatrixRMaj wideMatrix(int w) {
            return DMatrixRMaj.wrap(m, wideRows[w], wide(w));
        }

        @Override
        public double[] tallBlockColumns(int t, int from, int n) {
            return columns(tall(t), tallWidth[t], from, n);
        }

        @Override
        public double[] wideBlockColumns(int w, int from, int n) {
            return columns(wide(w), wideRows[w], from, n);
        }

        private double[] columns(double[] a, int width, int from, int n) {
            double[] out = new double[m * n];
            for (int r = 0; r < m; r++) {
                for (int c = 0; c < n; c++) {
                    out[c * m + r] = a[r * width + from + c];
                }
            }
            return out;
        }

        @Override
        public void close() {
        }
    }

    /** The upper triangle copied into the lower one (the two sides of a Gram summed in different orders). */
    static void symmetrise(double[] g, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                g[i * n + j] = g[j * n + i];
            }
        }
    }
}

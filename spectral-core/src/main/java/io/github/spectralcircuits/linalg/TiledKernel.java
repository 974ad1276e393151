package io.github.spectralcircuits.linalg;

/**
 * What the kernels share: the products are computed by {@link PackedProduct} (panels of rows packed
 * into slivers, C tile by tile), and a subclass only supplies the register-tiled micro-kernel.
 */
abstract class TiledKernel implements DenseKernel {
    /**
     * Rows per packed panel. Each tile of C is read and written once per panel, so longer panels
     * mean less traffic on C; 128 to 1024 measured within noise of each other on the reference Gram,
     * and 256 keeps a panel of d = 768 doubles (1.5 MB packed) well inside L3.
     */
    static final int PANEL_ROWS = 256;

    /** The micro-kernel on packed slivers. */
    abstract MicroKernel packedKernel();

    /** The QR sweeps that go with this kernel (SIMD with SIMD). */
    abstract ReflectorSweeps sweeps();

    @Override
    public void addTransAB(double[] a, double[] b, int p, int na, int nb, double[] c, int i0, int i1, boolean aLower) {
        if (i1 <= i0) {
            return;
        }
        PackedProduct sum = new PackedProduct(packedKernel(), i1 - i0, nb, false, Math.min(p, PANEL_ROWS));
        for (int r0 = 0; r0 < p; r0 += PANEL_ROWS) {
            sum.add(a, na, i0, b, nb, 0, r0, Math.min(PANEL_ROWS, p - r0), aLower);
        }
        sum.addInto(c, nb, i0 * nb);
    }

    @Override
    public void addGramUpper(double[] x, int p, int n, double[] c) {
        PackedProduct sum = new PackedProduct(packedKernel(), n, n, true, Math.min(p, PANEL_ROWS));
        for (int r0 = 0; r0 < p; r0 += PANEL_ROWS) {
            sum.add(x, n, 0, x, n, 0, r0, Math.min(PANEL_ROWS, p - r0), false);
        }
        sum.addInto(c, n, 0);
    }
}

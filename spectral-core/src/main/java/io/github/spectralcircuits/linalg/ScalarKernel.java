package io.github.spectralcircuits.linalg;

/**
 * Plain loops with a 4 x 4 register tile on packed slivers: each pass over r reads 8 values and
 * does 16 multiply-adds, which keeps the loop bound by arithmetic rather than by loads.
 */
final class ScalarKernel extends TiledKernel {
    static final ScalarKernel INSTANCE = new ScalarKernel();

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    ReflectorSweeps sweeps() {
        return ReflectorSweeps.scalar();
    }

    @Override
    MicroKernel packedKernel() {
        return FOUR_BY_FOUR;
    }

    private static final MicroKernel FOUR_BY_FOUR = new MicroKernel() {
        @Override
        public int rows() {
            return 4;
        }

        @Override
        public int cols() {
            return 4;
        }

        @Override
        public void multiply(double[] a, int aAt, double[] b, int bAt, int k, double[] c, int cAt) {
            double c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
            double c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
            for (int r = 0, ar = aAt, br = bAt; r < k; r++, ar += 4, br += 4) {
                double a0 = a[ar], a1 = a[ar + 1], a2 = a[ar + 2], a3 = a[ar + 3];
                double b0 = b[br], b1 = b[br + 1], b2 = b[br + 2], b3 = b[br + 3];
                c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
                c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
                c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
                c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
            }
            c[cAt] += c00; c[cAt + 1] += c01; c[cAt + 2] += c02; c[cAt + 3] += c03;
            c[cAt + 4] += c10; c[cAt + 5] += c11; c[cAt + 6] += c12; c[cAt + 7] += c13;
            c[cAt + 8] += c20; c[cAt + 9] += c21; c[cAt + 10] += c22; c[cAt + 11] += c23;
            c[cAt + 12] += c30; c[cAt + 13] += c31; c[cAt + 14] += c32; c[cAt + 15] += c33;
        }
    };
}

package io.github.spectralcircuits.linalg;

/** Picks the kernel once. The SIMD class is only loaded when its module is in the boot layer. */
final class Kernels {
    static final DenseKernel BEST = choose();

    private Kernels() {
    }

    private static DenseKernel choose() {
        if (Boolean.getBoolean("spectral.scalarKernel")) {
            return ScalarKernel.INSTANCE;
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty() || !JitWarmUp.optimisingCompilerPresent()) {
            return ScalarKernel.INSTANCE;
        }
        try {
            TiledKernel vector = (TiledKernel) Class.forName("io.github.spectralcircuits.linalg.VectorKernel")
                    .getDeclaredConstructor().newInstance();
            if (!Boolean.getBoolean("spectral.noWarmUp")) {
                JitWarmUp.warmUp(vector.packedKernel());
            }
            return vector;
        } catch (ReflectiveOperationException | LinkageError e) {
            return ScalarKernel.INSTANCE;
        }
    }
}

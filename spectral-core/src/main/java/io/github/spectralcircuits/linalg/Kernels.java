package io.github.spectralcircuits.linalg;

import java.util.concurrent.CompletableFuture;

/**
 * Picks the kernel once, on a background thread started by the first use of this class, so that
 * the SIMD kernel's JIT warm-up (about 0.3 s, {@link JitWarmUp}) can overlap whatever the caller
 * does before its first product (opening the model, see {@link DenseKernel#prepareInBackground()}).
 * The SIMD class is only loaded when its module is in the boot layer.
 */
final class Kernels {
    private static final CompletableFuture<DenseKernel> CHOICE = new CompletableFuture<>();

    static {
        Thread t = new Thread(() -> {
            try {
                DenseKernel kernel = choose();
                CHOICE.complete(kernel);
                // The QR sweeps are first needed after the shared Gram: warmed here, while it runs, their
                // first calls do not run the Vector API uncompiled (tens of times slower).
                if (kernel instanceof TiledKernel tiled && tiled != ScalarKernel.INSTANCE) {
                    JitWarmUp.warmUp(tiled.sweeps());
                }
            } catch (Throwable e) {
                CHOICE.complete(ScalarKernel.INSTANCE);
            }
        }, "spectral-kernel-warm-up");
        t.setDaemon(true);
        t.start();
    }

    private Kernels() {
    }

    /** Starts the choice (this class's initialisation does). */
    static void start() {
    }

    static DenseKernel best() {
        return CHOICE.join();
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
            JitWarmUp.warmUp(vector.packedKernel());
            return vector;
        } catch (ReflectiveOperationException | LinkageError e) {
            return ScalarKernel.INSTANCE;
        }
    }
}

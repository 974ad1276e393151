package io.github.spectralcircuits.model;

import java.util.ServiceLoader;

/** Test access to the adapters exactly as the loader finds them: through ServiceLoader. */
final class Adapters {
    private Adapters() {
    }

    static ArchitectureAdapter forArchitecture(String architecture) {
        for (ArchitectureAdapter a : ServiceLoader.load(ArchitectureAdapter.class)) {
            if (a.architectures().contains(architecture)) {
                return a;
            }
        }
        throw new AssertionError("no adapter registered for " + architecture);
    }
}

package io.github.spectralcircuits;

/** Where the core reports progress on long work (per layer); the Maven plugin forwards it to its log. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = message -> { };

    void info(String message);
}

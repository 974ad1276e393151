package io.github.spectralcircuits.circuits;

/**
 * The cores of a group of a layer's heads, [firstHead(), endHead()): {@link LayerProducts} (any shared factors)
 * or {@link DiagonalProducts} (diagonal ones). head(h) is safe to call from several threads for different heads.
 */
public interface HeadCoreSource {
    int firstHead();

    int endHead();

    HeadCores head(int h);
}

package io.github.spectralcircuits.io;

import io.github.spectralcircuits.SpectralException;

/** A model directory or file that cannot be read as it is: broken, hostile, or of a kind not supported. */
public class ModelInputException extends SpectralException {
    public ModelInputException(String message) {
        super(message);
    }

    public ModelInputException(String message, Throwable cause) {
        super(message, cause);
    }
}

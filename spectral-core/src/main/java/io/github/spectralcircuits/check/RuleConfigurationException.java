package io.github.spectralcircuits.check;

import io.github.spectralcircuits.SpectralException;

/** A rule that cannot be evaluated as written (unknown metric, inverted limits, drift without baseline...). */
public class RuleConfigurationException extends SpectralException {
    public RuleConfigurationException(String message) {
        super(message);
    }

    public RuleConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}

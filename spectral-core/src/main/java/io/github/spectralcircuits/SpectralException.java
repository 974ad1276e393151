package io.github.spectralcircuits;

/**
 * The one failure type the core lets out: its message is a single paragraph a user can act on
 * (what is wrong, where, what to do). Front ends (the Maven mojos) show the message as it is.
 */
public class SpectralException extends RuntimeException {
    public SpectralException(String message) {
        super(message);
    }

    public SpectralException(String message, Throwable cause) {
        super(message, cause);
    }
}

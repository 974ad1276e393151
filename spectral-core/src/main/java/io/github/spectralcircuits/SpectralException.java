package io.github.spectralcircuits;

/**
 * The one failure type the core lets out: its message is a single paragraph a user can act on
 * (what is wrong, where, what to do). Parameters are referenced in it as {@link ParameterNames} says, so
 * that each front end shows the message in its own names ({@link #message(ParameterNames.Style)});
 * {@link #getMessage()} gives the core's own names.
 */
public class SpectralException extends RuntimeException {
    public SpectralException(String message) {
        super(message);
    }

    public SpectralException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The message as written, with its parameter references (to re-wrap it, or to render it elsewhere). */
    public String rawMessage() {
        return super.getMessage();
    }

    /** The message in a front end's names. */
    public String message(ParameterNames.Style style) {
        return ParameterNames.render(super.getMessage(), style);
    }

    @Override
    public String getMessage() {
        return ParameterNames.render(super.getMessage(), ParameterNames.PLAIN);
    }
}

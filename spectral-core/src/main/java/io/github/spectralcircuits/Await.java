package io.github.spectralcircuits;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for work the pipeline handed to other threads, with its failures as the work itself would throw them. */
public final class Await {
    private Await() {
    }

    /**
     * The result of the work; its runtime exceptions and errors are rethrown as they are. {@code doing} says
     * what the work was, for the messages ("multiplying the embedding matrices").
     */
    public static <T> T result(Future<T> work, String doing) {
        try {
            return work.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpectralException("The analysis was interrupted while " + doing + ".", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new SpectralException("The analysis failed while " + doing + ": " + cause, cause);
        }
    }
}

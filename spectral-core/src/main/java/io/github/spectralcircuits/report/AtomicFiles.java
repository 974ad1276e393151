package io.github.spectralcircuits.report;

import io.github.spectralcircuits.SpectralException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that readers see either the old content or the whole new one, never a half-written
 * file: the content goes to a temporary file in the same directory, which is then renamed over the
 * target (an atomic move on every local file system we target). A failed write deletes its temporary
 * file and leaves the target as it was.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Produces the content of a file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    public static void write(Path target, Content content) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            // Not Files.createTempFile: its owner-only permissions would carry over to the published file
            // (site pages and charts served by a web server running as another user).
            tmp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(System.nanoTime())
                    + Long.toHexString(Thread.currentThread().getId()) + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                content.writeTo(out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // Same directory, so this only happens on exotic file systems; a plain replace is the best left.
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new SpectralException("Could not write " + target + ": " + e.getMessage()
                    + ". Check that the directory is writable and the disk is not full; the previous file, if any, is unchanged.", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The write already failed; its message matters more than a leftover temporary file.
                }
            }
        }
    }

    public static void writeBytes(Path target, byte[] bytes) {
        write(target, out -> out.write(bytes));
    }
}

package io.github.spectralcircuits.io.torch;

import io.github.spectralcircuits.io.ModelInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Reads the bytes of one zip entry: a stored entry straight from the file, a deflated one
 * streamed through an Inflater (java.util.zip) into whatever sink the caller gives, never more
 * than the entry's declared size.
 */
final class EntryBytes {
    private EntryBytes() {
    }

    /** A small entry (pickle, byteorder, version) into the heap, refusing more than maxBytes. */
    static byte[] readSmall(Path file, FileChannel channel, ZipDirectory.Entry entry, long maxBytes) throws IOException {
        if (entry.size() > maxBytes) {
            throw new ModelInputException("The PyTorch checkpoint " + file + " has an entry '" + entry.name() + "' of "
                    + entry.size() + " bytes, more than the " + maxBytes + " such an entry can sensibly hold. The file"
                    + " is damaged or hostile; re-export the weights (preferably as model.safetensors).");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) entry.size());
        copy(file, channel, entry, out);
        return out.toByteArray();
    }

    /** Copies exactly entry.size() bytes of the entry's content to out. */
    static void copy(Path file, FileChannel channel, ZipDirectory.Entry entry, OutputStream out) throws IOException {
        if (entry.method() == ZipDirectory.STORED) {
            try (InputStream in = new RegionInputStream(channel, entry.dataOffset(), entry.size())) {
                in.transferTo(out);
            }
            return;
        }
        Inflater inflater = new Inflater(true);
        try (InputStream in = new RegionInputStream(channel, entry.dataOffset(), entry.compressedSize())) {
            byte[] input = new byte[64 * 1024];
            byte[] output = new byte[64 * 1024];
            long written = 0;
            boolean inputDone = false;
            while (!inflater.finished()) {
                if (inflater.needsInput()) {
                    int n = inputDone ? -1 : in.read(input);
                    if (n < 0) {
                        if (inputDone) {
                            throw corrupt(file, entry, "its compressed data ends before the end of the stream");
                        }
                        // a raw inflater may want one byte past the data (see Inflater's nowrap note)
                        inputDone = true;
                        inflater.setInput(new byte[1]);
                    } else {
                        inflater.setInput(input, 0, n);
                    }
                }
                int produced = inflater.inflate(output);
                if (produced == 0 && inflater.needsDictionary()) {
                    throw corrupt(file, entry, "its compressed data needs a preset dictionary");
                }
                written += produced;
                if (written > entry.size()) {
                    throw corrupt(file, entry, "it inflates to more than its declared " + entry.size() + " bytes");
                }
                out.write(output, 0, produced);
            }
            if (written != entry.size()) {
                throw corrupt(file, entry, "it inflates to " + written + " bytes instead of its declared " + entry.size());
            }
        } catch (DataFormatException | ZipException e) {
            throw corrupt(file, entry, "its compressed data is invalid (" + e.getMessage() + ")");
        } finally {
            inflater.end();
        }
    }

    private static ModelInputException corrupt(Path file, ZipDirectory.Entry entry, String what) {
        return new ModelInputException("Cannot read entry '" + entry.name() + "' of the PyTorch checkpoint " + file
                + ": " + what + ". The file is damaged; download or export it again.");
    }

    /** Positional reads of [start, start + length) without moving the channel's position. */
    private static final class RegionInputStream extends InputStream {
        private final FileChannel channel;
        private long position;
        private final long end;

        RegionInputStream(FileChannel channel, long start, long length) {
            this.channel = channel;
            this.position = start;
            this.end = start + length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= end) {
                return -1;
            }
            int n = (int) Math.min(len, end - position);
            int read = channel.read(ByteBuffer.wrap(b, off, n), position);
            if (read < 0) {
                throw new IOException("unexpected end of file at offset " + position);
            }
            position += read;
            return read;
        }
    }
}

package io.github.spectralcircuits.io.torch;

import io.github.spectralcircuits.io.ModelInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The central directory of a zip archive, with the offset at which each entry's data starts.
 * Written by hand because java.util.zip exposes neither the local header offset nor the data
 * offset, and both are needed to memory-map a stored entry in place. Every number is checked
 * against the file before it is used.
 */
final class ZipDirectory {
    static final int STORED = 0;
    static final int DEFLATED = 8;

    private static final int EOCD_SIGNATURE = 0x06054b50;
    private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
    private static final int ZIP64_EOCD_SIGNATURE = 0x06064b50;
    private static final int CENTRAL_SIGNATURE = 0x02014b50;
    private static final int LOCAL_SIGNATURE = 0x04034b50;
    private static final int EOCD_SIZE = 22;
    private static final int MAX_COMMENT = 0xFFFF;
    private static final long MAX_CENTRAL_DIRECTORY = 256L << 20;
    private static final int MAX_ENTRIES = 1_000_000;

    /** One entry; {@code dataOffset} is where its (stored or compressed) bytes begin in the file. */
    record Entry(String name, int method, long compressedSize, long size, long dataOffset) {
    }

    private final Path file;
    private final Map<String, Entry> entries;

    private ZipDirectory(Path file, Map<String, Entry> entries) {
        this.file = file;
        this.entries = entries;
    }

    Collection<Entry> entries() {
        return Collections.unmodifiableCollection(entries.values());
    }

    Entry get(String name) {
        return entries.get(name);
    }

    static ZipDirectory read(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        Reader r = new Reader(file, channel, fileSize);
        long eocd = r.findEndOfCentralDirectory();
        ByteBuffer end = r.read(eocd, EOCD_SIZE);
        int diskNumber = u16(end, 4);
        int cdDisk = u16(end, 6);
        long count = u16(end, 10);
        long cdSize = u32(end, 12);
        long cdOffset = u32(end, 16);
        if (count == 0xFFFF || cdSize == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL) {
            long[] z = r.zip64End(eocd);
            count = z[0];
            cdSize = z[1];
            cdOffset = z[2];
        } else if (diskNumber != 0 || cdDisk != 0) {
            throw r.broken("it is a multi-volume (split) zip archive, which PyTorch never writes");
        }
        if (count > MAX_ENTRIES) {
            throw r.broken("its central directory claims " + count + " entries (at most " + MAX_ENTRIES + " are accepted)");
        }
        if (cdOffset < 0 || cdSize < 0 || cdOffset + cdSize > eocd || cdSize > MAX_CENTRAL_DIRECTORY) {
            throw r.broken("its central directory (offset " + cdOffset + ", " + cdSize
                    + " bytes) does not lie inside the file before the end record at " + eocd);
        }
        ByteBuffer cd = r.read(cdOffset, (int) cdSize);
        Map<String, Entry> entries = new LinkedHashMap<>();
        int p = 0;
        for (long i = 0; i < count; i++) {
            if (p + 46 > cd.limit() || cd.getInt(p) != CENTRAL_SIGNATURE) {
                throw r.broken("central directory entry " + i + " is truncated or has a wrong signature");
            }
            int flags = u16(cd, p + 8);
            int method = u16(cd, p + 10);
            long compressed = u32(cd, p + 20);
            long size = u32(cd, p + 24);
            int nameLen = u16(cd, p + 28);
            int extraLen = u16(cd, p + 30);
            int commentLen = u16(cd, p + 32);
            long localOffset = u32(cd, p + 42);
            if (p + 46L + nameLen + extraLen + commentLen > cd.limit()) {
                throw r.broken("central directory entry " + i + " runs past the end of the directory");
            }
            String name = decodeName(cd, p + 46, nameLen, r);
            if (!Printable.isClean(name)) {
                throw r.broken("an entry name contains control characters ('" + Printable.of(name) + "')");
            }
            // ZIP64: the real values sit in extra field 0x0001, in this order, for each field set to all ones.
            int e = p + 46 + nameLen;
            int extraEnd = e + extraLen;
            while (e + 4 <= extraEnd) {
                int id = u16(cd, e);
                int len = u16(cd, e + 2);
                if (e + 4 + len > extraEnd) {
                    throw r.broken("entry '" + name + "' has a malformed extra field");
                }
                if (id == 0x0001) {
                    int q = e + 4;
                    if (size == 0xFFFFFFFFL) {
                        size = r.need8(cd, q, e + 4 + len, name);
                        q += 8;
                    }
                    if (compressed == 0xFFFFFFFFL) {
                        compressed = r.need8(cd, q, e + 4 + len, name);
                        q += 8;
                    }
                    if (localOffset == 0xFFFFFFFFL) {
                        localOffset = r.need8(cd, q, e + 4 + len, name);
                    }
                }
                e += 4 + len;
            }
            if ((flags & 1) != 0) {
                throw r.broken("entry '" + name + "' is encrypted");
            }
            if (method != STORED && method != DEFLATED) {
                throw r.broken("entry '" + name + "' uses compression method " + method
                        + " (only stored and deflated entries are read)");
            }
            if (method == STORED && compressed != size) {
                throw r.broken("stored entry '" + name + "' has compressed size " + compressed + " but size " + size);
            }
            if (size < 0 || compressed < 0 || localOffset < 0 || localOffset > cdOffset - 30) {
                throw r.broken("entry '" + name + "' has a local header offset or size outside the file");
            }
            if (method == DEFLATED && size / 1032 > compressed + 1) {
                // deflate cannot expand more than 1032:1; a larger claim is a decompression bomb
                throw r.broken("deflated entry '" + name + "' claims " + size + " bytes from only " + compressed);
            }
            long dataOffset = r.dataOffset(localOffset, name, method);
            if (dataOffset + compressed > cdOffset || dataOffset + compressed < dataOffset) {
                throw r.broken("entry '" + name + "' (" + compressed + " bytes at offset " + dataOffset
                        + ") runs past the start of the central directory at " + cdOffset);
            }
            if (entries.put(name, new Entry(name, method, compressed, size, dataOffset)) != null) {
                throw r.broken("it holds two entries named '" + name + "'");
            }
            p += 46 + nameLen + extraLen + commentLen;
        }
        return new ZipDirectory(file, entries);
    }

    private static String decodeName(ByteBuffer cd, int at, int len, Reader r) {
        byte[] bytes = new byte[len];
        cd.get(at, bytes);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException ex) {
            throw r.broken("an entry name is not valid UTF-8");
        }
    }

    private static int u16(ByteBuffer b, int at) {
        return b.getShort(at) & 0xFFFF;
    }

    private static long u32(ByteBuffer b, int at) {
        return b.getInt(at) & 0xFFFFFFFFL;
    }

    /** Positional reads of small structures, with the file's name in every complaint. */
    private static final class Reader {
        private final Path file;
        private final FileChannel channel;
        private final long fileSize;

        Reader(Path file, FileChannel channel, long fileSize) {
            this.file = file;
            this.channel = channel;
            this.fileSize = fileSize;
        }

        ModelInputException broken(String what) {
            return new ModelInputException("The PyTorch checkpoint " + file + " is not a readable zip archive: " + what
                    + ". The file is damaged or was not written by torch.save; download or export it again"
                    + " (or convert it to model.safetensors).");
        }

        ByteBuffer read(long at, int len) throws IOException {
            if (at < 0 || len < 0 || at + len > fileSize) {
                throw broken("a structure at offset " + at + " (" + len + " bytes) lies beyond the end of the "
                        + fileSize + "-byte file");
            }
            ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining()) {
                if (channel.read(b, at + b.position()) < 0) {
                    throw broken("the file ended while reading offset " + (at + b.position()));
                }
            }
            return b.flip();
        }

        long findEndOfCentralDirectory() throws IOException {
            if (fileSize < EOCD_SIZE) {
                throw broken("it is only " + fileSize + " bytes long");
            }
            int tail = (int) Math.min(fileSize, EOCD_SIZE + MAX_COMMENT);
            ByteBuffer b = read(fileSize - tail, tail);
            for (int p = tail - EOCD_SIZE; p >= 0; p--) {
                if (b.getInt(p) == EOCD_SIGNATURE && p + EOCD_SIZE + u16(b, p + 20) == tail) {
                    return fileSize - tail + p;
                }
            }
            throw broken("no end-of-central-directory record was found (the file may be truncated)");
        }

        long[] zip64End(long eocd) throws IOException {
            if (eocd < 20) {
                throw broken("it announces ZIP64 sizes but has no ZIP64 locator");
            }
            ByteBuffer loc = read(eocd - 20, 20);
            if (loc.getInt(0) != ZIP64_LOCATOR_SIGNATURE) {
                throw broken("it announces ZIP64 sizes but has no ZIP64 locator");
            }
            long at = loc.getLong(8);
            if (at < 0 || at > eocd - 20 - 56) {
                throw broken("its ZIP64 end record offset " + at + " is outside the file");
            }
            ByteBuffer z = read(at, 56);
            if (z.getInt(0) != ZIP64_EOCD_SIGNATURE) {
                throw broken("its ZIP64 end record has a wrong signature");
            }
            if (z.getInt(16) != 0 || z.getInt(20) != 0) {
                throw broken("it is a multi-volume (split) zip archive, which PyTorch never writes");
            }
            long count = z.getLong(32);
            long cdSize = z.getLong(40);
            long cdOffset = z.getLong(48);
            if (count < 0 || cdSize < 0 || cdOffset < 0 || cdOffset + cdSize > at) {
                throw broken("its ZIP64 end record gives a central directory outside the file");
            }
            return new long[] {count, cdSize, cdOffset};
        }

        long need8(ByteBuffer b, int at, int limit, String name) {
            if (at + 8 > limit) {
                throw broken("entry '" + name + "' has a truncated ZIP64 extra field");
            }
            return b.getLong(at);
        }

        /** The local header repeats name and method but may carry a different extra field (torch pads it). */
        long dataOffset(long localOffset, String name, int method) throws IOException {
            ByteBuffer h = read(localOffset, 30);
            if (h.getInt(0) != LOCAL_SIGNATURE) {
                throw broken("entry '" + name + "' points to offset " + localOffset + ", where there is no local header");
            }
            int localMethod = u16(h, 8);
            int nameLen = u16(h, 26);
            int extraLen = u16(h, 28);
            if (localMethod != method) {
                throw broken("entry '" + name + "' has compression method " + method
                        + " in the central directory but " + localMethod + " in its local header");
            }
            ByteBuffer localName = read(localOffset + 30, nameLen);
            byte[] expected = name.getBytes(StandardCharsets.UTF_8);
            if (!localName.equals(ByteBuffer.wrap(expected))) {
                throw broken("entry '" + name + "' has a different name in its local header");
            }
            return localOffset + 30 + nameLen + extraLen;
        }
    }
}

package io.github.spectralcircuits.io;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a report's numbers were computed from: a digest of the tensors an analysis reads, so that a later
 * {@code check} can tell whether the weights on disk are still those. Not a hash of whole files (13 GB for a
 * 7B model, most of it MLP weights the analysis never reads): each tensor read contributes its name, stored
 * dtype, shape, byte length and the CRC32C of its stored bytes (an intrinsic of the JVM, memory speed), and
 * SHA-256 over those lines in name order is the value. A changed weight changes its tensor's CRC32C except
 * with probability 2^-32 per tensor, and the tool reads every tensor it fingerprints anyway.
 *
 * @param algorithm how {@code value} was made, so that a later version can tell an old fingerprint from a change
 * @param value     the hex digest
 * @param tensors   how many tensors it covers
 * @param bytes     their stored size
 */
public record WeightsFingerprint(String algorithm, String value, int tensors, long bytes) {
    public static final String ALGORITHM = "SHA-256 of name, dtype, shape, bytes, CRC32C per tensor read";

    /** The fingerprint of the named tensors of a source. */
    public static WeightsFingerprint of(TensorSource source, Iterable<String> names) {
        SortedSet<String> sorted = new TreeSet<>();
        names.forEach(sorted::add);
        MessageDigest sha = sha256();
        long bytes = 0;
        for (String name : sorted) {
            TensorInfo info = source.info(name);
            long length = source.byteLength(name);
            long crc = source.checksum(name);
            bytes += length;
            String line = name + '\t' + info.dtype() + '\t' + Arrays.toString(info.shape()) + '\t' + length + '\t'
                    + Long.toHexString(crc) + '\n';
            sha.update(line.getBytes(StandardCharsets.UTF_8));
        }
        return new WeightsFingerprint(ALGORITHM, HexFormat.of().formatHex(sha.digest()), sorted.size(), bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java SE runtime has SHA-256", e);
        }
    }

    /** "a1b2c3d4e5f6 (130 tensors, 1.2 GB)": short enough for a log line. */
    public String describe() {
        String shortValue = value == null ? "?" : value.substring(0, Math.min(12, value.length()));
        return shortValue + " (" + tensors + " tensors, " + humanBytes(bytes) + ")";
    }

    private static String humanBytes(long b) {
        if (b < 1 << 20) {
            return b + " bytes";
        }
        double mb = b / (double) (1 << 20);
        return mb < 1024 ? String.format(java.util.Locale.ROOT, "%.1f MB", mb)
                : String.format(java.util.Locale.ROOT, "%.2f GB", mb / 1024);
    }
}

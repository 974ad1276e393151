package io.github.spectralcircuits.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ProgressListener;
import io.github.spectralcircuits.io.WeightsFingerprint;
import io.github.spectralcircuits.model.ModelLoader;
import io.github.spectralcircuits.model.TransformerModel;
import io.github.spectralcircuits.report.SpectralReport;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The weights fingerprint: what it covers, that it is what the analysis records, and what changes it. */
class WeightsFingerprintTest {
    private static final Path MODEL = Path.of("../examples/stories260k").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void theAnalysisRecordsTheFingerprintOfEveryTensorItReadsAndNoOther() {
        AnalysisSettings settings = AnalysisSettings.defaults().withControl(false);
        Set<String> read;
        SpectralReport report;
        try (TransformerModel model = ModelLoader.open(MODEL)) {
            report = SpectralAnalysis.analyze(model, settings, ProgressListener.NONE);
            read = model.tensorsRead();
        }
        WeightsFingerprint standalone = ReportFreshness.fingerprintOf(MODEL);
        assertEquals(standalone, report.fingerprint());
        // 5 layers x (input norm, q, k, v, o) + embedding + final norm (the unembedding is tied)
        assertEquals(27, standalone.tensors(), read.toString());
        assertEquals(read.size(), standalone.tensors(), "everything read is fingerprinted: " + read);
        assertEquals(WeightsFingerprint.ALGORITHM, standalone.algorithm());
        assertEquals(64, standalone.value().length());
    }

    @Test
    void theFingerprintIsTheDigestOfEachTensorsStoredBytesAsDocumented() throws Exception {
        // an independent computation from the file's own header, with the JDK's CRC32C and SHA-256
        byte[] file = Files.readAllBytes(MODEL.resolve("model.safetensors"));
        long headerLength = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        JsonNode header = new ObjectMapper().readTree(new String(file, 8, (int) headerLength, StandardCharsets.UTF_8));
        Set<String> covered;
        try (TransformerModel model = ModelLoader.open(MODEL)) {
            SpectralAnalysis.analyze(model, AnalysisSettings.defaults().withControl(false), ProgressListener.NONE);
            covered = new java.util.TreeSet<>(model.tensorsRead());
        }
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        long bytes = 0;
        for (String name : covered) {
            JsonNode t = header.get(name);
            long begin = t.get("data_offsets").get(0).asLong();
            long end = t.get("data_offsets").get(1).asLong();
            CRC32C crc = new CRC32C();
            crc.update(file, (int) (8 + headerLength + begin), (int) (end - begin));
            StringBuilder shape = new StringBuilder("[");
            t.get("shape").forEach(n -> shape.append(shape.length() > 1 ? ", " : "").append(n.asLong()));
            String line = name + '\t' + t.get("dtype").asText() + '\t' + shape + "]\t" + (end - begin) + '\t'
                    + Long.toHexString(crc.getValue()) + '\n';
            sha.update(line.getBytes(StandardCharsets.UTF_8));
            bytes += end - begin;
        }
        WeightsFingerprint f = ReportFreshness.fingerprintOf(MODEL);
        assertEquals(java.util.HexFormat.of().formatHex(sha.digest()), f.value());
        assertEquals(bytes, f.bytes());
    }

    @Test
    void changingAWeightTheAnalysisReadsChangesItAndChangingAnMlpWeightDoesNot() throws Exception {
        Path copy = copyOfModel("copy");
        WeightsFingerprint original = ReportFreshness.fingerprintOf(copy);

        flipALowBit(copy, "model.layers.3.mlp.up_proj.weight");
        assertEquals(original, ReportFreshness.fingerprintOf(copy), "the MLP is outside the circuits");

        flipALowBit(copy, "model.layers.3.self_attn.o_proj.weight");
        WeightsFingerprint changed = ReportFreshness.fingerprintOf(copy);
        assertNotEquals(original.value(), changed.value());
        assertEquals(original.bytes(), changed.bytes());
    }

    private Path copyOfModel(String name) throws Exception {
        Path copy = Files.createDirectories(dir.resolve(name));
        for (String f : new String[] {"config.json", "model.safetensors"}) {
            Files.copy(MODEL.resolve(f), copy.resolve(f));
        }
        return copy;
    }

    /** Flips the lowest mantissa bit of the tensor's first element: a change no shape or size check sees. */
    static void flipALowBit(Path model, String tensor) throws Exception {
        Path file = model.resolve("model.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] len = new byte[8];
            raf.readFully(len);
            long headerLength = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
            byte[] h = new byte[(int) headerLength];
            raf.readFully(h);
            long begin = new ObjectMapper().readTree(h).get(tensor).get("data_offsets").get(0).asLong();
            long at = 8 + headerLength + begin;
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 1);
        }
    }
}

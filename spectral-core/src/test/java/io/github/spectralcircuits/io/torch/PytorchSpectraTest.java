package io.github.spectralcircuits.io.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.pipeline.SpectralAnalysis;
import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.spectra.CircuitSpectrum;
import io.github.spectralcircuits.spectra.HeadSpectra;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole analysis of stories260k stored as pytorch_model.bin equals, bit for bit, that of the safetensors copy. */
class PytorchSpectraTest {
    private static final Path EXAMPLE = Path.of("../examples/stories260k");

    @TempDir
    Path dir;

    @Test
    void spectraFromPytorchModelBinEqualThoseFromSafetensorsExactly() throws IOException {
        TorchCheckpointWriter w = new TorchCheckpointWriter();
        SafetensorsF32.read(EXAMPLE.resolve("model.safetensors")).forEach((n, t) -> w.floats(n, t.shape(), t.values()));
        w.write(dir.resolve("pytorch_model.bin"));
        Files.copy(EXAMPLE.resolve("config.json"), dir.resolve("config.json"));
        AnalysisSettings settings = new AnalysisSettings(true, 1e-3, 1e-6, false, 42L, 0.5, 3.0, Set.of(), Set.of(),
                false, 1e-6);
        SpectralReport fromSafetensors = SpectralAnalysis.run(EXAMPLE, settings, null, null);
        SpectralReport fromBin = SpectralAnalysis.run(dir, settings, null, null);
        List<HeadSpectra> expected = fromSafetensors.trained().heads();
        List<HeadSpectra> actual = fromBin.trained().heads();
        assertEquals(40, expected.size());
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            HeadSpectra e = expected.get(i);
            HeadSpectra a = actual.get(i);
            assertEquals(e.layer(), a.layer());
            assertEquals(e.head(), a.head());
            assertEquals(e.kvHead(), a.kvHead());
            assertSame(e.qk(), a.qk(), "QK " + e.layer() + "." + e.head());
            assertSame(e.ov(), a.ov(), "OV " + e.layer() + "." + e.head());
        }
    }

    /** The fingerprint is of the stored values, not of the file format: the same F32 weights give the same one. */
    @Test
    void thePytorchCopyHasTheFingerprintOfTheSafetensorsOneUntilAWeightChanges() throws IOException {
        Files.copy(EXAMPLE.resolve("config.json"), dir.resolve("config.json"));
        TorchCheckpointWriter same = new TorchCheckpointWriter();
        SafetensorsF32.read(EXAMPLE.resolve("model.safetensors")).forEach((n, t) -> same.floats(n, t.shape(), t.values()));
        same.write(dir.resolve("pytorch_model.bin"));
        var original = io.github.spectralcircuits.pipeline.ReportFreshness.fingerprintOf(EXAMPLE);
        assertEquals(original, io.github.spectralcircuits.pipeline.ReportFreshness.fingerprintOf(dir));

        TorchCheckpointWriter changed = new TorchCheckpointWriter();
        SafetensorsF32.read(EXAMPLE.resolve("model.safetensors")).forEach((n, t) -> {
            float[] v = t.values().clone();
            if (n.equals("model.layers.2.self_attn.k_proj.weight")) {
                v[17] = Math.nextUp(v[17]);
            }
            changed.floats(n, t.shape(), v);
        });
        changed.write(dir.resolve("pytorch_model.bin"));
        var after = io.github.spectralcircuits.pipeline.ReportFreshness.fingerprintOf(dir);
        org.junit.jupiter.api.Assertions.assertNotEquals(original.value(), after.value());
        assertEquals(original.tensors(), after.tensors());
    }

    private static void assertSame(CircuitSpectrum e, CircuitSpectrum a, String what) {
        assertEquals(e.dimension(), a.dimension(), what);
        assertEquals(e.rankBound(), a.rankBound(), what);
        assertEquals(8, e.eigenvalues().re().length, what);
        assertEquals(8, e.singularValues().length, what);
        assertArrayEquals(e.eigenvalues().re(), a.eigenvalues().re(), what);
        assertArrayEquals(e.eigenvalues().im(), a.eigenvalues().im(), what);
        assertArrayEquals(e.singularValues(), a.singularValues(), what);
        assertEquals(e.stats(), a.stats(), what);
    }
}

package io.github.spectralcircuits.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.spectralcircuits.io.DType;
import io.github.spectralcircuits.testing.FamilyLayouts;
import io.github.spectralcircuits.testing.FamilyLayouts.Layout;
import io.github.spectralcircuits.testing.ModelAssertions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole reading stage on files: every family's layout written as safetensors (single file or shards,
 * each dtype) and opened with {@link ModelLoader#open} gives back the normalised weights, rounded as the
 * dtype stores them.
 */
class FileRoundTripTest {
    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("io.github.spectralcircuits.model.AdapterRoundTripTest#cases")
    void everyLayoutAsOneF32FileLoadsExactly(Layout layout, FamilyLayouts.Model m, @TempDir Path dir) {
        FamilyLayouts.write(layout, m).writeTo(dir, DType.F32, 1);
        try (TransformerModel model = ModelLoader.open(dir)) {
            assertEquals(layout.architecture(), model.info().architecture());
            assertEquals("F32", model.info().dtype());
            ModelAssertions.assertSameWeights(m, model);
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("io.github.spectralcircuits.model.AdapterRoundTripTest#cases")
    void everyLayoutAsBf16ShardsLoadsTheRoundedWeights(Layout layout, FamilyLayouts.Model m, @TempDir Path dir) {
        FamilyLayouts.write(layout, m).writeTo(dir, DType.BF16, 3);
        try (TransformerModel model = ModelLoader.open(dir)) {
            assertEquals("BF16", model.info().dtype());
            ModelAssertions.assertSameWeights(m.roundedTo(DType.BF16), model);
        }
    }

    @Test
    void f16AndF64FilesOfTheGqaLayoutLoadAsStored(@TempDir Path dir) throws Exception {
        FamilyLayouts.Model m = FamilyLayouts.random(9, 21, 10, 2, 6, 2, 3, false);
        for (DType dtype : new DType[] {DType.F16, DType.F64}) {
            Path sub = Files.createDirectory(dir.resolve(dtype.name()));
            FamilyLayouts.write(Layout.MISTRAL, m).writeTo(sub, dtype, 2);
            try (TransformerModel model = ModelLoader.open(sub)) {
                assertEquals(dtype.name(), model.info().dtype());
                ModelAssertions.assertSameWeights(m.roundedTo(dtype), model);
            }
        }
        // F16 rounding is real here, so the comparison above is not trivially the F32 one.
        assertNotEquals(m.embedding()[0], m.roundedTo(DType.F16).embedding()[0]);
    }
}

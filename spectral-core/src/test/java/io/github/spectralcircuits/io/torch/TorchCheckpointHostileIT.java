package io.github.spectralcircuits.io.torch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The long runs of {@link TorchCheckpointHostileTest}'s seeded fuzzing (1000 damaged zips, 2000 mutated pickles,
 * about 9 s on the 2-core machine), run by {@code mvn verify}; the unit suite tries the first 200 and 400 of the
 * same sequences.
 */
class TorchCheckpointHostileIT {
    @TempDir
    Path dir;

    @Test
    void aThousandDamagedZipsEndInAReadOrAClearError() throws IOException {
        float[] values = new float[64];
        Arrays.fill(values, 0.5f);
        Path bin = dir.resolve("pytorch_model.bin");
        new TorchCheckpointWriter().floats("w", new long[] {8, 8}, values).floats("b", new long[] {8}, new float[8])
                .write(bin);
        TorchCheckpointHostileTest.damagedZips(dir, Files.readAllBytes(bin), 1000);
    }

    @Test
    void twoThousandMutatedPicklesEndInAReadOrAClearError() throws IOException {
        TorchCheckpointHostileTest.mutatedPickles(dir, 2000);
    }
}

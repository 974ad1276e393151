package io.github.spectralcircuits.model;

import io.github.spectralcircuits.ParameterNames;
import io.github.spectralcircuits.io.ModelInputException;
import io.github.spectralcircuits.io.SafetensorsCheckpoints;
import io.github.spectralcircuits.io.TensorSource;
import io.github.spectralcircuits.io.torch.TorchCheckpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds the weights of a model directory, in the order Hugging Face's loader prefers them:
 * {@code model.safetensors}, then the sharded {@code model.safetensors.index.json}, then PyTorch
 * pickles. This is the one place that knows file names and formats.
 */
public final class TensorSources {
    private TensorSources() {
    }

    public static TensorSource open(Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        if (!Files.exists(dir)) {
            throw new ModelInputException("The model directory " + dir + " does not exist. Point the model path "
                    + "(" + ParameterNames.ref("model") + ") at a Hugging Face model directory holding config.json and the weights.");
        }
        if (!Files.isDirectory(dir)) {
            throw new ModelInputException(dir + " is not a directory. Point the model path (" + ParameterNames.ref("model") + ") at the "
                    + "Hugging Face model directory that holds config.json and the weights, not at a file in it.");
        }
        if (SafetensorsCheckpoints.present(dir)) {
            return SafetensorsCheckpoints.open(dir);
        }
        if (TorchCheckpoints.present(dir)) {
            return TorchCheckpoints.open(dir);
        }
        throw new ModelInputException(dir + " holds no model weights: looked for " + SafetensorsCheckpoints.SINGLE_FILE
                + ", " + SafetensorsCheckpoints.INDEX_FILE + ", " + TorchCheckpoints.SINGLE_FILE + " and "
                + TorchCheckpoints.INDEX_FILE + otherWeightFiles(dir)
                + ". Download the weights into this directory (for example with huggingface-cli download), or point "
                + "the model path (" + ParameterNames.ref("model") + ") at the directory that holds them.");
    }

    /** Other *.safetensors / *.bin files, named so that a user sees why they were not taken. */
    private static String otherWeightFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".safetensors") || n.endsWith(".bin") || n.endsWith(".pt") || n.endsWith(".gguf"))
                    .sorted().limit(5).collect(Collectors.toList());
            return names.isEmpty() ? "" : " (the directory does have " + String.join(", ", names)
                    + ", which are not under a name Hugging Face loads)";
        } catch (IOException e) {
            return "";
        }
    }
}

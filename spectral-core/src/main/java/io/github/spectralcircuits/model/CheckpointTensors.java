package io.github.spectralcircuits.model;

import io.github.spectralcircuits.io.ModelInputException;
import io.github.spectralcircuits.io.TensorInfo;
import io.github.spectralcircuits.io.TensorSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One checkpoint's tensors as an adapter sees them: names relative to the detected prefix, and every
 * tensor's shape checked against what config.json implies before it is used. Errors name the tensor,
 * its file, the shape found, the shape expected and the config keys behind it.
 */
public final class CheckpointTensors {
    private final TensorSource source;
    private final ModelConfig config;
    private final String architecture;
    private final String prefix;

    public CheckpointTensors(TensorSource source, ModelConfig config, String architecture, String prefix) {
        this.source = source;
        this.config = config;
        this.architecture = architecture;
        this.prefix = prefix;
    }

    /**
     * Picks the first of {@code prefixes} under which {@code marker} (a tensor every checkpoint of the
     * family has, such as the embedding) exists; "" stands for no prefix.
     */
    public static CheckpointTensors detect(TensorSource source, ModelConfig config, String architecture,
                                           String marker, String... prefixes) {
        for (String p : prefixes) {
            if (source.contains(p + marker)) {
                return new CheckpointTensors(source, config, architecture, p);
            }
        }
        String tried = Arrays.stream(prefixes).map(p -> "'" + p + marker + "'").collect(Collectors.joining(" or "));
        throw new ModelInputException(source.directory() + " has no tensor " + tried + ", which every "
                + architecture + " checkpoint has (" + config.file() + " names that architecture)" + sample(source)
                + ". The weights are of another architecture or incomplete; use the config.json that came with them.");
    }

    public TensorSource source() {
        return source;
    }

    public String prefix() {
        return prefix;
    }

    /** The stored name of a tensor given relative to the prefix. */
    public String name(String local) {
        return prefix + local;
    }

    public boolean has(String fullName) {
        return source.contains(fullName);
    }

    /** The tensor's info after checking that it exists and has exactly the expected shape. */
    public TensorInfo require(String fullName, ConfigDim... expected) {
        if (!source.contains(fullName)) {
            throw missing(fullName);
        }
        TensorInfo info = source.info(fullName);
        long[] want = Arrays.stream(expected).mapToLong(ConfigDim::value).toArray();
        if (!Arrays.equals(info.shape(), want)) {
            throw new ModelInputException("Tensor '" + fullName + "' in " + info.file() + " has shape "
                    + info.shapeString() + ", but " + config.file() + " implies " + Arrays.toString(want)
                    + " = " + describe(expected) + " for " + architecture
                    + ". The weights and config.json disagree; use the config.json that came with these weights.");
        }
        return info;
    }

    /**
     * Fails when the checkpoint stores a layer beyond the config's layer count: such a config would
     * silently analyse a truncated model. {@code firstExtraLayerTensor} names a tensor of layer L.
     */
    public void requireNoExtraLayer(String firstExtraLayerTensor, ConfigDim layers) {
        if (source.contains(firstExtraLayerTensor)) {
            throw new ModelInputException(source.directory() + " holds tensor '" + firstExtraLayerTensor
                    + "', but " + config.file() + " says " + layers.expression() + "=" + layers.value()
                    + " (layers 0.." + (layers.value() - 1) + "). The weights and config.json disagree;"
                    + " use the config.json that came with these weights.");
        }
    }

    /** The error for a tensor the family needs but the checkpoint lacks. */
    public ModelInputException missing(String fullName) {
        return new ModelInputException(source.directory() + " has no tensor '" + fullName + "', which a "
                + architecture + " checkpoint needs (" + config.file() + " names that architecture)" + sample(source)
                + ". The weight files are incomplete or of another architecture; check them against config.json.");
    }

    /** Reads a tensor whose shape {@link #require} has already checked. */
    public double[] read(String fullName) {
        return source.readDoubles(fullName);
    }

    private static String describe(ConfigDim[] dims) {
        List<String> bindings = new ArrayList<>();
        for (ConfigDim d : dims) {
            for (String b : d.bindings()) {
                if (!bindings.contains(b)) {
                    bindings.add(b);
                }
            }
        }
        String expr = Arrays.stream(dims).map(ConfigDim::expression).collect(Collectors.joining(", ", "[", "]"));
        return bindings.isEmpty() ? expr : expr + " with " + String.join(", ", bindings);
    }

    private static String sample(TensorSource source) {
        List<String> names = source.names().stream().sorted().limit(4).toList();
        if (names.isEmpty()) {
            return "; it holds no tensors at all";
        }
        return "; it holds " + source.names().size() + " tensors, such as " + String.join(", ", names);
    }
}

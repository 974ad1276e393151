package io.github.spectralcircuits.model;

import io.github.spectralcircuits.ParameterNames;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.io.ModelInputException;
import io.github.spectralcircuits.io.RecordingTensorSource;
import io.github.spectralcircuits.io.TensorSource;
import io.github.spectralcircuits.io.WeightsFingerprint;
import io.github.spectralcircuits.model.TensorSources;
import io.github.spectralcircuits.linalg.RowMatrix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Opens a Hugging Face model directory: reads config.json, picks the adapter for
 * architectures[0] (found through {@link ServiceLoader}), finds the weight files
 * ({@link TensorSources}) and lets the adapter normalise them. Every failure, expected or not,
 * leaves as a {@link SpectralException} whose message names the directory or file.
 */
public final class ModelLoader {
    static final String CONFIG = "config.json";

    private ModelLoader() {
    }

    public static TransformerModel open(Path directory) {
        return open(directory, installedAdapters());
    }

    /** With an explicit adapter list, for tests that must not depend on what is registered. */
    static TransformerModel open(Path directory, List<ArchitectureAdapter> adapters) {
        Path dir = directory.toAbsolutePath().normalize();
        checkDirectory(dir);
        Path configFile = dir.resolve(CONFIG);
        ModelConfig config = readConfig(configFile);
        String architecture = config.architecture();
        ArchitectureAdapter adapter = adapterFor(architecture, adapters, configFile);
        RecordingTensorSource source;
        try {
            source = new RecordingTensorSource(TensorSources.open(dir));
        } catch (RuntimeException e) {
            throw guard(e, dir, configFile, "opening the weight files");
        }
        try {
            TransformerModel adapted = adapter.adapt(config, source);
            // what the adapter checked while opening is every tensor it will read: the fingerprint's cover
            return new GuardedModel(adapted, source, source.used(), dir, configFile);
        } catch (RuntimeException e) {
            source.close();
            throw guard(e, dir, configFile, "reading the model");
        }
    }

    /** The architectures the installed adapters read, sorted (for messages and documentation). */
    public static List<String> supportedArchitectures() {
        return supported(installedAdapters());
    }

    private static List<ArchitectureAdapter> installedAdapters() {
        List<ArchitectureAdapter> adapters = new ArrayList<>();
        try {
            // The core's own class loader: inside Maven the thread's context loader may be another realm.
            for (ArchitectureAdapter a : ServiceLoader.load(ArchitectureAdapter.class, ArchitectureAdapter.class.getClassLoader())) {
                adapters.add(a);
            }
        } catch (ServiceConfigurationError e) {
            throw new SpectralException("The architecture adapters of spectral-core cannot be loaded (" + e.getMessage()
                    + "). The installation is broken; rebuild or reinstall the plugin.", e);
        }
        return adapters;
    }

    private static void checkDirectory(Path dir) {
        if (!Files.exists(dir)) {
            throw new ModelInputException("The model directory " + dir + " does not exist. Point the model path "
                    + "(" + ParameterNames.ref("model") + ") at a Hugging Face model directory holding config.json and the weights.");
        }
        if (!Files.isDirectory(dir)) {
            throw new ModelInputException(dir + " is not a directory. Point the model path (" + ParameterNames.ref("model") + ") at the "
                    + "Hugging Face model directory that holds config.json and the weights, not at a file in it.");
        }
    }

    static ModelConfig readConfig(Path configFile) {
        if (!Files.isRegularFile(configFile)) {
            throw new ModelInputException(configFile.getParent() + " has no " + CONFIG + ", so the architecture and sizes "
                    + "of the model are unknown. A Hugging Face model directory has one next to the weights; download it "
                    + "with the model, or point the model path (" + ParameterNames.ref("model") + ") at the right directory.");
        }
        return ModelConfig.read(configFile);
    }

    private static ArchitectureAdapter adapterFor(String architecture, List<ArchitectureAdapter> adapters, Path configFile) {
        for (ArchitectureAdapter a : adapters) {
            if (a.architectures().contains(architecture)) {
                return a;
            }
        }
        List<String> supported = supported(adapters);
        throw new ModelInputException(configFile + " names the architecture \"" + architecture + "\", which is not supported. "
                + "Supported architectures: " + (supported.isEmpty() ? "none (no adapters are installed)" : String.join(", ", supported))
                + ". Use a model of one of these families.");
    }

    private static List<String> supported(List<ArchitectureAdapter> adapters) {
        TreeSet<String> names = new TreeSet<>();
        adapters.forEach(a -> names.addAll(a.architectures()));
        return List.copyOf(names);
    }

    /**
     * Our own errors pass unchanged; anything else (a NullPointerException or an index error from
     * numbers a file got wrong) is a bug or an unforeseen damaged input, and still must reach the
     * user as one paragraph naming the files.
     */
    static SpectralException guard(RuntimeException e, Path dir, Path configFile, String while_) {
        if (e instanceof SpectralException s) {
            return s;
        }
        return new ModelInputException("Unexpected failure while " + while_ + " in " + dir + " (" + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "). The weight files are probably damaged or do "
                + "not match " + configFile + "; check them against the model's published files. If they load in Hugging Face "
                + "transformers, this is a bug in spectral circuits: please report it with this message.", e);
    }

    /**
     * Keeps the guarantee above for the lazy parts of a model (layers are read on demand) and
     * makes closing the model close the weight files, whatever the adapter does.
     */
    private static final class GuardedModel implements TransformerModel {
        private final TransformerModel model;
        private final RecordingTensorSource source;
        private final Set<String> checkedAtOpen;
        private final Path dir;
        private final Path configFile;
        private WeightsFingerprint fingerprint;

        GuardedModel(TransformerModel model, RecordingTensorSource source, Set<String> checkedAtOpen, Path dir,
                     Path configFile) {
            this.model = model;
            this.source = source;
            this.checkedAtOpen = Set.copyOf(checkedAtOpen);
            this.dir = dir;
            this.configFile = configFile;
        }

        @Override
        public ModelInfo info() {
            return model.info();
        }

        @Override
        public RowMatrix embedding() {
            return model.embedding();
        }

        @Override
        public RowMatrix unembeddingTransposed() {
            return model.unembeddingTransposed();
        }

        @Override
        public double[] finalNormGain() {
            return model.finalNormGain();
        }

        @Override
        public LayerWeights layer(int l) {
            try {
                return model.layer(l);
            } catch (IndexOutOfBoundsException e) {
                if (l < 0 || l >= model.info().nLayers()) {
                    throw e; // the caller asked for a layer that does not exist: a programming error, not input
                }
                throw guard(e, dir, configFile, "reading layer " + l);
            } catch (RuntimeException e) {
                throw guard(e, dir, configFile, "reading layer " + l);
            }
        }

        /** Over the tensors checked at open (a read of the same files gives the same cover), computed once. */
        @Override
        public synchronized WeightsFingerprint fingerprint() {
            if (fingerprint == null) {
                try {
                    fingerprint = WeightsFingerprint.of(source, checkedAtOpen);
                } catch (RuntimeException e) {
                    throw guard(e, dir, configFile, "fingerprinting the weights");
                }
            }
            return fingerprint;
        }

        @Override
        public Set<String> tensorsRead() {
            return source.used();
        }

        @Override
        public void close() {
            try {
                model.close();
            } finally {
                source.close();
            }
        }

        @Override
        public String toString() {
            return model.toString();
        }
    }
}

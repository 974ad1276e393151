package io.github.spectralcircuits.aggregate;

import io.github.spectralcircuits.ParameterNames;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.io.WeightsFingerprint;
import io.github.spectralcircuits.model.ModelLoader;
import io.github.spectralcircuits.model.TransformerModel;
import io.github.spectralcircuits.report.ReportReader;
import io.github.spectralcircuits.report.SpectralReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads one checkpoint's report and keeps what the aggregate needs. A missing report and a stale one (its
 * model's weights changed after it was written) are refused with a message naming the checkpoint: an
 * aggregate mixing current and outdated numbers would draw a trajectory that never happened.
 */
public final class CheckpointReports {
    private CheckpointReports() {
    }

    /** The checkpoint as the aggregate keeps it; a SpectralException naming the source when it cannot be used. */
    public static Checkpoint read(CheckpointSource source) {
        Path file = source.report();
        if (!Files.isRegularFile(file)) {
            throw new SpectralException(missing(source));
        }
        SpectralReport report;
        try {
            report = ReportReader.read(file);
        } catch (SpectralException e) {
            throw new SpectralException("Cannot aggregate " + source.describe() + ": " + e.rawMessage(), e);
        }
        if (report.trained() == null || report.trained().heads().isEmpty()) {
            throw new SpectralException("The spectral report " + file + " of " + source.describe() + " has no "
                    + "trained heads, so it gives the aggregate nothing to follow; re-run its analysis"
                    + source.howToAnalyseInBrackets() + " with " + ParameterNames.ref("layers") + " and "
                    + ParameterNames.ref("heads") + " selecting at least one head.");
        }
        staleness(report, file).ifPresent(why -> {
            throw new SpectralException("The spectral report " + file + " of " + source.describe() + " is stale: "
                    + why + ". Re-run its analysis" + source.howToAnalyseInBrackets() + " before aggregating.");
        });
        List<HeadStats> heads = report.trained().heads().stream().map(HeadStats::of).toList();
        return new Checkpoint(source.name(), report.model(), report.fingerprint(), report.settings(), heads,
                report.thinkingHeads());
    }

    private static String missing(CheckpointSource source) {
        if (source.kind() == CheckpointSource.Kind.MODULE) {
            return "No spectral report for " + source.describe() + ": " + source.report() + " does not exist. "
                    + "Run the analysis in that module before the aggregate" + source.howToAnalyseInBrackets()
                    + ", or, if it writes its report elsewhere, set " + ParameterNames.ref("checkpointReport")
                    + " to the report's path inside each module's build directory.";
        }
        return "No spectral report for " + source.describe() + ": " + source.report() + " does not exist. Each "
                + "sub-folder of " + ParameterNames.ref("reports") + " must hold the spectral-report.json of one checkpoint (as "
                + "download-artifact lays out one folder per artifact).";
    }

    /**
     * Why the report no longer describes the weights in its model directory, if it does not. A model file
     * newer than the report is the cheap sign (a sweep of large models must not read every checkpoint's
     * weights again to aggregate); when the report carries the weights' fingerprint, the fingerprint of the
     * weights now there decides, so a file rewritten with the same content (a rebuilt checkpoint) does not
     * count. A report made elsewhere, whose model directory is not here, counts as current.
     */
    static Optional<String> staleness(SpectralReport report, Path reportFile) {
        Optional<Path> newer = newerModelFile(report, reportFile);
        if (newer.isEmpty()) {
            return Optional.empty();
        }
        String changed = newer.get() + " changed after the report was written";
        WeightsFingerprint recorded = report.fingerprint();
        if (recorded == null) {
            return Optional.of(changed + ", and the report records no fingerprint of the weights to tell whether "
                    + "they are the same");
        }
        WeightsFingerprint now;
        try (TransformerModel m = ModelLoader.open(Path.of(report.model().path()))) {
            now = m.fingerprint();
        } catch (SpectralException e) {
            return Optional.of(changed + ", and the model there cannot be read now (" + e.getMessage() + ")");
        }
        if (now != null && Objects.equals(now.algorithm(), recorded.algorithm()) && Objects.equals(now.value(), recorded.value())) {
            return Optional.empty();
        }
        return Optional.of(changed + ": the weights' fingerprint was " + recorded.describe() + ", it is now "
                + (now == null ? "unknown" : now.describe()));
    }

    /**
     * The newest of the model's files that is newer than the report, if the model directory the report names
     * is here. A report made on another machine (a downloaded artifact) names a directory that does not exist
     * here: nothing to compare with, so it counts as current.
     */
    static Optional<Path> newerModelFile(SpectralReport report, Path reportFile) {
        if (report.model() == null || report.model().path() == null) {
            return Optional.empty();
        }
        Path model;
        try {
            model = Path.of(report.model().path());
        } catch (RuntimeException notAPath) {
            return Optional.empty();
        }
        if (!Files.isDirectory(model)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(model)) {
            FileTime written = Files.getLastModifiedTime(reportFile);
            return files.filter(CheckpointReports::isModelFile)
                    .filter(f -> modified(f).compareTo(written) > 0)
                    .max(Comparator.comparing(CheckpointReports::modified));
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /** The files an analysis reads: config, weights (safetensors, their index, PyTorch files), tokenizer. */
    static boolean isModelFile(Path f) {
        String n = f.getFileName().toString();
        return Files.isRegularFile(f) && (n.equals("config.json") || n.equals("tokenizer.json")
                || n.endsWith(".safetensors") || n.endsWith(".safetensors.index.json") || n.endsWith(".bin")
                || n.endsWith(".bin.index.json") || n.endsWith(".pt") || n.endsWith(".pth"));
    }

    private static FileTime modified(Path f) {
        try {
            return Files.getLastModifiedTime(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

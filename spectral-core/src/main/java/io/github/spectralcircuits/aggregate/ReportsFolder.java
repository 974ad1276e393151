package io.github.spectralcircuits.aggregate;

import io.github.spectralcircuits.ParameterNames;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.report.ReportWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A folder of reports made elsewhere, one checkpoint per sub-folder named by it: what a CI job gets when
 * it downloads the artifacts of a matrix of analysis jobs (download-artifact writes each artifact into a
 * folder of its name). A sub-folder's report is its spectral-report.json, or the only one anywhere below
 * it (an uploaded target/ directory, say).
 */
public final class ReportsFolder {
    /** How deep below a sub-folder a report is looked for (e.g. scale-2.0/target/spectral/). */
    static final int SEARCH_DEPTH = 4;

    private ReportsFolder() {
    }

    /**
     * The checkpoints in the folder: in the order of {@code order} when it is not empty (only those), otherwise
     * every sub-folder in natural order of their names ("step-2000" before "step-10000").
     */
    public static List<CheckpointSource> sources(Path folder, List<String> order) {
        Path dir = folder.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new SpectralException("The reports folder " + dir + " (" + ParameterNames.ref("reports") + ") does not exist or is not "
                    + "a directory; point it at the folder holding one sub-folder per checkpoint, each with its "
                    + ReportWriter.FILE_NAME + ".");
        }
        Map<String, Path> folders = new LinkedHashMap<>();
        try (Stream<Path> children = Files.list(dir)) {
            children.filter(Files::isDirectory)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted((a, b) -> NaturalOrder.INSTANCE.compare(a.getFileName().toString(), b.getFileName().toString()))
                    .forEach(p -> folders.put(p.getFileName().toString(), p));
        } catch (IOException | UncheckedIOException e) {
            throw new SpectralException("Could not list the reports folder " + dir + ": " + e.getMessage() + ".", e);
        }
        if (folders.isEmpty()) {
            throw new SpectralException("The reports folder " + dir + " (" + ParameterNames.ref("reports") + ") has no sub-folders; it "
                    + "must hold one sub-folder per checkpoint, named by it, each with its " + ReportWriter.FILE_NAME
                    + " (as download-artifact lays out one folder per artifact).");
        }
        List<String> names = order == null || order.isEmpty() ? new ArrayList<>(folders.keySet()) : order;
        List<CheckpointSource> out = new ArrayList<>();
        for (String name : names) {
            Path sub = folders.get(name);
            if (sub == null) {
                throw new SpectralException(ParameterNames.ref("checkpoints") + " names '" + name + "', but the reports folder " + dir
                        + " has no sub-folder of that name; it has " + folders.keySet() + ".");
            }
            out.add(CheckpointSource.folder(name, reportIn(sub), sub));
        }
        return out;
    }

    /** sub/spectral-report.json, or the only report below it; the former (to be reported missing) when there is none. */
    static Path reportIn(Path sub) {
        Path direct = sub.resolve(ReportWriter.FILE_NAME);
        if (Files.isRegularFile(direct)) {
            return direct;
        }
        List<Path> found;
        try (Stream<Path> files = Files.walk(sub, SEARCH_DEPTH)) {
            found = files.filter(p -> p.getFileName().toString().equals(ReportWriter.FILE_NAME))
                    .filter(Files::isRegularFile).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new SpectralException("Could not search " + sub + " for its report: " + e.getMessage() + ".", e);
        }
        if (found.size() > 1) {
            throw new SpectralException("The report folder " + sub + " holds " + found.size() + " spectral reports ("
                    + found + "), so it is not clear which checkpoint it is; give each checkpoint a sub-folder of its "
                    + "own.");
        }
        return found.isEmpty() ? direct : found.get(0);
    }
}

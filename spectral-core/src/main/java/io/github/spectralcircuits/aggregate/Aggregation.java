package io.github.spectralcircuits.aggregate;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ParameterNames;
import io.github.spectralcircuits.SpectralException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Checkpoints' reports in, one aggregate out, in the order given. Reports are read one at a time and reduced
 * to their statistics at once, so the memory held grows with heads x checkpoints, not with the reports'
 * spectra. Checkpoints analysed with settings that change the statistics themselves (norm folding, the
 * tolerances, the layer and head filters) are refused: their trajectories would show the settings, not
 * the weights.
 */
public final class Aggregation {
    /** How many heads the aggregate lists (and the page charts) as changing most, unless told otherwise. */
    public static final int DEFAULT_HEADS = 5;

    private Aggregation() {
    }

    public static SpectralAggregate aggregate(List<CheckpointSource> sources, int mostChangedHeads) {
        if (sources.isEmpty()) {
            throw new SpectralException("There are no checkpoints to aggregate.");
        }
        Map<String, CheckpointSource> byName = new HashMap<>();
        for (CheckpointSource s : sources) {
            CheckpointSource earlier = byName.putIfAbsent(s.name(), s);
            if (earlier != null) {
                throw new SpectralException("Two checkpoints are named '" + s.name() + "' (" + earlier.where() + " and "
                        + s.where() + "); the aggregate names checkpoints by their modules' artifactIds or their "
                        + "folders' names, which must differ.");
            }
        }
        List<Checkpoint> checkpoints = new ArrayList<>();
        for (CheckpointSource s : sources) {
            checkpoints.add(CheckpointReports.read(s));
        }
        checkComparable(checkpoints);
        return new SpectralAggregate(SpectralAggregate.SCHEMA_VERSION, checkpoints,
                Trajectories.of(checkpoints).mostChanged(mostChangedHeads));
    }

    /** The settings that shape the trained statistics must agree; the control's may differ. */
    static void checkComparable(List<Checkpoint> checkpoints) {
        Checkpoint first = null;
        for (Checkpoint c : checkpoints) {
            if (c.settings() == null) {
                continue;
            }
            if (first == null) {
                first = c;
                continue;
            }
            differ(first, c, "foldNorms", s -> s.foldNorms());
            differ(first, c, "nearZeroTolerance", s -> s.nearZeroTolerance());
            differ(first, c, "rankTolerance", s -> s.rankTolerance());
            differ(first, c, "layers", s -> new TreeSet<>(s.layers()));
            differ(first, c, "heads", s -> new TreeSet<>(s.heads()));
        }
    }

    private static void differ(Checkpoint first, Checkpoint other, String setting,
                               Function<AnalysisSettings, Object> value) {
        Object x = value.apply(first.settings());
        Object y = value.apply(other.settings());
        if (!x.equals(y)) {
            throw new SpectralException(String.format(Locale.ROOT, "The checkpoints '%s' and '%s' were analysed with "
                    + "different %s (%s and %s), which changes the statistics themselves: their trajectories would "
                    + "show the setting, not the weights. Analyse every checkpoint with the same settings (set them "
                    + "once for all of them).", first.name(), other.name(), ParameterNames.ref(setting), x, y));
        }
    }
}

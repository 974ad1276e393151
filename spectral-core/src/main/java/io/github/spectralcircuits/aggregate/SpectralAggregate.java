package io.github.spectralcircuits.aggregate;

import java.util.List;

/**
 * The whole of spectral-aggregate.json: the checkpoints in order (reactor order, or the reports folder's
 * order) and the heads that change most along them. Field names are the contract, as in the report.
 */
public record SpectralAggregate(int schemaVersion, List<Checkpoint> checkpoints, List<HeadChange> mostChanged) {

    public static final int SCHEMA_VERSION = 1;
    public static final String FILE_NAME = "spectral-aggregate.json";

    public SpectralAggregate {
        checkpoints = List.copyOf(checkpoints);
        mostChanged = List.copyOf(mostChanged);
    }

    /** The checkpoints' names, in order. */
    public List<String> names() {
        return checkpoints.stream().map(Checkpoint::name).toList();
    }
}

package io.github.spectralcircuits.aggregate;

import java.nio.file.Path;

/**
 * Where one checkpoint's report is, and what to call it: the name the aggregate and its charts show (a
 * module's artifactId, a downloaded folder's name) and how a message should point at it.
 *
 * @param name   the checkpoint's name in the aggregate
 * @param report the spectral-report.json expected
 * @param kind   whether it is a module of the build or a folder of downloaded reports (for messages)
 * @param where  the module's coordinates or the folder's path, as a message should name it
 * @param howToAnalyse how a user analyses this checkpoint, in the front end's words ("spectral:analyze in
 *               that module, e.g. mvn verify"), for the messages that ask for it; null for none
 */
public record CheckpointSource(String name, Path report, Kind kind, String where, String howToAnalyse) {

    public enum Kind {
        /** A module of the build that analysed its checkpoint (a Maven reactor module). */
        MODULE,
        /** A folder holding a report made elsewhere (a CI job's downloaded artifact). */
        FOLDER
    }

    public static CheckpointSource module(String name, Path report, String coordinates, String howToAnalyse) {
        return new CheckpointSource(name, report, Kind.MODULE, coordinates, howToAnalyse);
    }

    public static CheckpointSource folder(String name, Path report, Path folder) {
        return new CheckpointSource(name, report, Kind.FOLDER, folder.toString(), null);
    }

    /** " (spectral:analyze in that module, ...)", or nothing. */
    String howToAnalyseInBrackets() {
        return howToAnalyse == null ? "" : " (" + howToAnalyse + ")";
    }

    /** "the checkpoint module 'scale-2.0' (g:scale-2.0:1.0)" or "the report folder 'scale-2.0' (/ci/reports/scale-2.0)". */
    String describe() {
        return (kind == Kind.MODULE ? "the checkpoint module '" : "the report folder '") + name + "' (" + where + ")";
    }
}

package io.github.spectralcircuits.maven;

import io.github.spectralcircuits.report.SpectralReport;

/**
 * Trained vs control, thinking heads and baseline drift sections of the page; each appears only when
 * the report has that part.
 */
final class ComparisonSections {
    private ComparisonSections() {
    }

    static void render(SpectralReportPage page, SpectralReport report) {
        // filled in once the comparison records are final
    }
}

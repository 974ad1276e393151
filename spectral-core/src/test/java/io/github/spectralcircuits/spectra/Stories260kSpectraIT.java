package io.github.spectralcircuits.spectra;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole-model check of {@link Stories260kSpectraTest}: every one of the forty heads' factored spectra
 * against its materialised 512 x 512 circuits, folded and raw (160 dense decompositions, about two minutes on
 * two cores, so an integration test: {@code mvn verify} runs it, {@code mvn test} does not).
 */
class Stories260kSpectraIT {

    @ParameterizedTest(name = "foldNorms={0}")
    @ValueSource(booleans = {true, false})
    void factoredEqualsDenseForAllFortyHeads(boolean fold) {
        Stories260kSpectraTest.assertFactoredEqualsDense(fold, i -> true);
    }
}

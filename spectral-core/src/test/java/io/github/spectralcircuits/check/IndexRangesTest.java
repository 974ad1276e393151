package io.github.spectralcircuits.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.SpectralException;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IndexRangesTest {
    @Test
    void readsSinglesRangesAndSpaces() {
        assertEquals(List.of(0, 1, 2, 3, 5), List.copyOf(IndexRanges.parse("0-3,5", "layers")));
        assertEquals(List.of(2, 7, 8, 9), List.copyOf(IndexRanges.parse(" 9 , 7 - 8, 2 ", "heads")));
        assertEquals(List.of(4), List.copyOf(IndexRanges.parse("4-4", "heads")));
    }

    @Test
    void overlappingItemsAreMerged() {
        assertEquals(List.of(1, 2, 3, 4), List.copyOf(IndexRanges.parse("1-3,2-4,3", "layers")));
    }

    @Test
    void blankOrNullMeansAll() {
        assertTrue(IndexRanges.parse(null, "layers").isEmpty());
        assertTrue(IndexRanges.parse("  ", "layers").isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"3-1", "a", "1,,2", "-1", "1-", "1.5", "0-3;5", "99999999999"})
    void rejectsWhatIsNotARangeListNamingTheSelection(String spec) {
        SpectralException e = assertThrows(SpectralException.class, () -> IndexRanges.parse(spec, "rule 2 heads"));
        assertTrue(e.getMessage().contains("rule 2 heads"), e.getMessage());
        assertTrue(e.getMessage().contains("\"" + spec + "\""), e.getMessage());
        assertTrue(e.getMessage().contains("0-3,5"), "message shows the syntax: " + e.getMessage());
    }

    @Test
    void backwardsRangeSaysHowToWriteIt() {
        SpectralException e = assertThrows(SpectralException.class, () -> IndexRanges.parse("5-2", "layers"));
        assertTrue(e.getMessage().contains("2-5"), e.getMessage());
    }

    @Test
    void formatIsTheInverseOfParse() {
        for (String s : List.of("0-3,5", "1", "0,2,4", "0-1,3-4,7-9", "all")) {
            TreeSet<Integer> set = new TreeSet<>(IndexRanges.parse(s.equals("all") ? "" : s, "x"));
            assertEquals(s, IndexRanges.format(set));
        }
    }
}

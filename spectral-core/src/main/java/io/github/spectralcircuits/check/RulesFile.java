package io.github.spectralcircuits.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.spectralcircuits.io.JsonMappers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Rules as a JSON file, the command line's way to give them (the Maven plugin takes them from its
 * configuration and hands them to a forked analysis this way):
 * {@code [{"circuit": "OV", "layers": "0-3", "limits": [{"metric": "effectiveRank", "minimum": 2}]}]}.
 * The same bean properties as the plugin's &lt;rules&gt;; an unknown property is a typo and is refused.
 */
public final class RulesFile {
    /** Built on first use only (see NONE). */
    private static final class Mapper {
        static final ObjectMapper MAPPER = JsonMappers.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        static final TypeReference<List<Rule>> RULES = new TypeReference<>() {
        };
    }

    /**
     * No rules, the usual case, is read and written without the mapper: Maven's JVM writes this file for the
     * forked analysis, and building an ObjectMapper costs a fresh JVM about 0.25 s wall and 0.4 CPU-s, which
     * Maven's JVM (it needs no databind otherwise) is spared.
     */
    private static final String NONE = "[]";

    private RulesFile() {
    }

    public static List<Rule> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new RuleConfigurationException("The rules file " + file + " does not exist or is not a file; "
                    + "write the rules as a JSON array such as [{\"circuit\": \"OV\", \"limits\": [{\"metric\": "
                    + "\"effectiveRank\", \"minimum\": 2}]}].");
        }
        try {
            if (Files.size(file) < 16 && Files.readString(file).strip().equals(NONE)) {
                return List.of();
            }
            List<Rule> rules = Mapper.MAPPER.readValue(file.toFile(), Mapper.RULES);
            return rules == null ? List.of() : rules;
        } catch (JsonProcessingException e) {
            throw new RuleConfigurationException("The rules file " + file + " is not a JSON array of rules ("
                    + e.getOriginalMessage() + ", at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + "). Each rule has \"circuit\" (QK, OV or ALL), optional "
                    + "\"layers\" and \"heads\" such as \"0-3,5\", and \"limits\": [{\"metric\", \"minimum\", "
                    + "\"maximum\", \"maximumDriftFromBaseline\"}].", e);
        } catch (IOException e) {
            throw new RuleConfigurationException("Cannot read the rules file " + file + ": " + e.getMessage() + ".", e);
        }
    }

    public static void write(List<Rule> rules, Path file) throws IOException {
        if (rules.isEmpty()) {
            Files.writeString(file, NONE);
            return;
        }
        Mapper.MAPPER.writeValue(file.toFile(), rules);
    }
}

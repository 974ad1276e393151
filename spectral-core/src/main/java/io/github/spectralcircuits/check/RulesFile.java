package io.github.spectralcircuits.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
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
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final TypeReference<List<Rule>> RULES = new TypeReference<>() {
    };

    private RulesFile() {
    }

    public static List<Rule> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new RuleConfigurationException("The rules file " + file + " does not exist or is not a file; "
                    + "write the rules as a JSON array such as [{\"circuit\": \"OV\", \"limits\": [{\"metric\": "
                    + "\"effectiveRank\", \"minimum\": 2}]}].");
        }
        try {
            List<Rule> rules = MAPPER.readValue(file.toFile(), RULES);
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
        MAPPER.writeValue(file.toFile(), rules);
    }
}

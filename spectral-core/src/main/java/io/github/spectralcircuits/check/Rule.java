package io.github.spectralcircuits.check;

import java.util.ArrayList;
import java.util.List;

/**
 * A selection of circuits (circuit type QK, OV or ALL; optional layers and heads, e.g. "0-3,5") and
 * the limits every selected circuit must meet. A plain bean so Maven can bind
 * {@code <rules><rule>...</rule></rules>} from the plugin configuration.
 */
public class Rule {
    private String circuit = "ALL";
    private String layers;
    private String heads;
    private List<Limit> limits = new ArrayList<>();

    public Rule() {
    }

    public Rule(String circuit, String layers, String heads, List<Limit> limits) {
        this.circuit = circuit;
        this.layers = layers;
        this.heads = heads;
        this.limits = new ArrayList<>(limits);
    }

    public String getCircuit() {
        return circuit;
    }

    public void setCircuit(String circuit) {
        this.circuit = circuit;
    }

    public String getLayers() {
        return layers;
    }

    public void setLayers(String layers) {
        this.layers = layers;
    }

    public String getHeads() {
        return heads;
    }

    public void setHeads(String heads) {
        this.heads = heads;
    }

    public List<Limit> getLimits() {
        return limits;
    }

    public void setLimits(List<Limit> limits) {
        this.limits = limits;
    }

    /** "OV, layers 0-3, heads all": the selection as the messages name it. */
    public String selection() {
        return (circuit == null ? "ALL" : circuit.strip().toUpperCase(java.util.Locale.ROOT))
                + ", layers " + (layers == null || layers.isBlank() ? "all" : layers.strip())
                + ", heads " + (heads == null || heads.isBlank() ? "all" : heads.strip());
    }
}

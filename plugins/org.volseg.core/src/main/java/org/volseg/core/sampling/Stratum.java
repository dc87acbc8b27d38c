package org.volseg.core.sampling;

/** How a point was drawn. */
public enum Stratum {
    /** Uniformly over the whole grid (it may still fall in the border band). */
    UNIFORM("uniform"),
    /** Uniformly within the band around label borders. */
    BORDER("border");

    private final String label;

    Stratum(String label) {
        this.label = label;
    }

    /** The lower-case name, "uniform" or "border". */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}

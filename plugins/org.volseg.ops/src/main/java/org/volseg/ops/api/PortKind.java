package org.volseg.ops.api;

/** What flows through a port. */
public enum PortKind {
    /** One row per case: id, image paths, label path, geometry. */
    VOLUME_TABLE("Volumes"),
    /** A trained model (a ModelBundle). */
    MODEL("VolSeg Model"),
    /** Sampled points: case, voxel and world coordinates, label, stratum. */
    POINT_TABLE("Points"),
    /** Scores per case and class, plus a summary row. */
    METRICS_TABLE("Metrics"),
    /** PNG images, one row per case. */
    IMAGE_TABLE("Images"),
    /** A training run's history, one row per epoch. */
    HISTORY_TABLE("Training history");

    private final String title;

    PortKind(String title) {
        this.title = title;
    }

    /** The port's name in node descriptions. */
    public String title() {
        return title;
    }

    public boolean isTable() {
        return this != MODEL;
    }
}

package org.volseg.core.transforms;

import org.volseg.core.volume.Geometry;

/** The check every transform makes before it reads data: is the data on the grid it was planned for? */
final class Grids {

    private Grids() {
    }

    /** Fails unless {@code actual} is {@code planned} within {@link GeometricTransform#GRID_TOLERANCE_MM}. */
    static void require(Geometry planned, Geometry actual, String what) {
        if (!planned.sameGrid(actual, GeometricTransform.GRID_TOLERANCE_MM)) {
            throw new IllegalArgumentException(what + " is on " + actual + " " + actual.affine()
                    + ", but the transform was planned for " + planned + " " + planned.affine());
        }
    }
}

package org.volseg.core.data;

import java.io.IOException;
import java.nio.file.Path;
import org.volseg.core.io.NiftiReader;
import org.volseg.core.io.VolumeFormatException;
import org.volseg.core.volume.Geometry;

/** Checks a case before any voxel is read: its channels and its label must share one grid. */
public final class CaseChecks {

    /** Affines may differ by this much (mm) and still be one grid: float32 headers round. */
    public static final double GRID_TOLERANCE_MM = 1e-3;

    private CaseChecks() {
    }

    /**
     * Reads the headers of a case's files and returns their common grid.
     *
     * @throws VolumeFormatException naming the file whose grid differs from the first image's
     */
    public static Geometry checkGeometry(Case c) throws IOException {
        Path first = c.images().get(0);
        Geometry grid = NiftiReader.readHeader(first).header().geometry();
        for (Path image : c.images().subList(1, c.images().size())) {
            requireSameGrid(image, "image channel", grid, first);
        }
        if (c.labeled()) {
            requireSameGrid(c.label(), "label", grid, first);
        }
        return grid;
    }

    private static void requireSameGrid(Path file, String role, Geometry grid, Path first) throws IOException {
        Geometry g = NiftiReader.readHeader(file).header().geometry();
        if (!g.sameGrid(grid, GRID_TOLERANCE_MM)) {
            throw new VolumeFormatException(file, "geometry", "this " + role + " is " + g + ", but the image "
                    + first.getFileName() + " is " + grid + "; a case's files must share one grid (affines "
                    + g.affine() + " and " + grid.affine() + ")");
        }
    }
}

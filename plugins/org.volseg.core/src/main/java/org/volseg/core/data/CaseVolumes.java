package org.volseg.core.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.volseg.core.io.NiftiReader;
import org.volseg.core.io.VolumeFormatException;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;

/** Reads a {@link Case}'s files into memory: its channels as one volume, its labels on the same grid. */
public final class CaseVolumes {

    private CaseVolumes() {
    }

    /**
     * All image channels of the case, in order (a 4D file gives all of its channels), as one volume on the first
     * file's grid.
     *
     * @throws VolumeFormatException naming the file whose grid differs from the first image's
     */
    public static Volume image(Case c) throws IOException {
        CaseChecks.checkGeometry(c);
        List<float[]> channels = new ArrayList<>();
        Geometry grid = null;
        for (Path file : c.images()) {
            Volume v = NiftiReader.read(file).volume();
            grid = grid == null ? v.geometry() : grid;
            for (int k = 0; k < v.channelCount(); k++) {
                channels.add(v.channel(k));
            }
        }
        return new Volume(grid, channels.toArray(float[][]::new));
    }

    /**
     * The case's label map, on its image's grid.
     *
     * @throws IllegalArgumentException when the case has no label file
     */
    public static LabelMap labels(Case c) throws IOException {
        if (!c.labeled()) {
            throw new IllegalArgumentException("case " + c.id() + " has no label map");
        }
        CaseChecks.checkGeometry(c);
        return NiftiReader.readLabels(c.label());
    }
}

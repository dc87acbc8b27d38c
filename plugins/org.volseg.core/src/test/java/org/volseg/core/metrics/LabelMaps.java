package org.volseg.core.metrics;

import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;

/** Label maps for the metrics tests: shapes drawn voxel by voxel, labels moved, volumes read as labels. */
final class LabelMaps {

    private LabelMaps() {
    }

    /** Labels from the first channel of a volume (as read from a NIfTI label file), rounded. */
    static LabelMap of(Volume volume) {
        float[] values = volume.channel(0);
        int[] labels = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            labels[i] = Math.round(values[i]);
        }
        return LabelMap.of(volume.geometry(), labels);
    }

    /** A copy of the map with the same grid and capacity. */
    static LabelMap copy(LabelMap map) {
        LabelMap out = LabelMap.create(map.geometry(), map.capacity());
        for (int i = 0; i < map.geometry().voxels(); i++) {
            out.set(i, map.get(i));
        }
        return out;
    }

    /** Sets every voxel whose centre lies in the box (voxel bounds inclusive) to {@code label}. */
    static void fillBox(LabelMap map, int label, int x0, int y0, int z0, int x1, int y1, int z1) {
        for (int z = z0; z <= z1; z++) {
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    map.set(x, y, z, label);
                }
            }
        }
    }

    /** Sets every voxel whose centre lies within {@code radiusMm} of the world point (mm, voxel-0 origin). */
    static void fillSphere(LabelMap map, int label, double cxMm, double cyMm, double czMm, double radiusMm) {
        Geometry g = map.geometry();
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    if (insideSphere(g, x, y, z, cxMm, cyMm, czMm, radiusMm)) {
                        map.set(x, y, z, label);
                    }
                }
            }
        }
    }

    static boolean insideSphere(Geometry g, int x, int y, int z, double cx, double cy, double cz, double r) {
        double dx = x * g.spacingX() - cx;
        double dy = y * g.spacingY() - cy;
        double dz = z * g.spacingZ() - cz;
        return dx * dx + dy * dy + dz * dz <= r * r;
    }

    /**
     * The map with every voxel of {@code label} moved by (dx, dy, dz) voxels: its old place becomes background, its
     * new place (within the grid) overwrites what was there.
     */
    static LabelMap shifted(LabelMap map, int label, int dx, int dy, int dz) {
        Geometry g = map.geometry();
        LabelMap out = copy(map);
        for (int i = 0; i < g.voxels(); i++) {
            if (map.get(i) == label) {
                out.set(i, 0);
            }
        }
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    int tx = x + dx;
                    int ty = y + dy;
                    int tz = z + dz;
                    if (map.get(x, y, z) == label && tx >= 0 && ty >= 0 && tz >= 0 && tx < g.nx() && ty < g.ny()
                            && tz < g.nz()) {
                        out.set(tx, ty, tz, label);
                    }
                }
            }
        }
        return out;
    }
}

package org.volseg.core.transforms;

import java.util.SplittableRandom;
import org.volseg.core.volume.Affine;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;

/** Small grids and volumes the transform tests share. */
final class TestVolumes {

    private TestVolumes() {
    }

    /**
     * A grid whose voxel axes point as {@code code} says, with anisotropic spacing, a small oblique tilt (so no
     * affine element is a round number) and an origin away from zero, as scanners write them.
     */
    static Geometry grid(String code, int nx, int ny, int nz, double sx, double sy, double sz) {
        double[] spacing = {sx, sy, sz};
        double[][] columns = new double[3][3];
        for (int a = 0; a < 3; a++) {
            char letter = code.charAt(a);
            int world = "RLAPSI".indexOf(letter) / 2;
            double sign = "RAS".indexOf(letter) >= 0 ? 1 : -1;
            columns[a][world] = sign * spacing[a];
        }
        double c = Math.cos(0.12);
        double s = Math.sin(0.12);
        double c2 = Math.cos(0.07);
        double s2 = Math.sin(0.07);
        double[] m = new double[16];
        for (int a = 0; a < 3; a++) {
            // turned about the world's superior axis, then about the right axis: an oblique acquisition
            double x = c * columns[a][0] - s * columns[a][1];
            double y = s * columns[a][0] + c * columns[a][1];
            double z = columns[a][2];
            m[a] = x;
            m[4 + a] = c2 * y - s2 * z;
            m[8 + a] = s2 * y + c2 * z;
        }
        m[3] = 31.7;
        m[7] = -12.3;
        m[11] = 7.9;
        m[15] = 1;
        return new Geometry(nx, ny, nz, Affine.of(m));
    }

    /** Two channels: the voxel's flat index (exact in float up to 2²⁴) and its negative plus a half. */
    static Volume indexVolume(Geometry grid) {
        Volume v = Volume.zeros(grid, 2);
        for (int i = 0; i < grid.voxels(); i++) {
            v.channel(0)[i] = i;
            v.channel(1)[i] = -i + 0.5f;
        }
        return v;
    }

    /** Uniform noise in [−1, 1). */
    static Volume noise(Geometry grid, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Volume v = Volume.zeros(grid, 1);
        for (int i = 0; i < grid.voxels(); i++) {
            v.channel(0)[i] = (float) (2 * random.nextDouble() - 1);
        }
        return v;
    }

    /**
     * Two labelled boxes and a ball, away from the borders: label 1 a box, label 2 a ball inside another box of
     * label 3, so every label is several voxels thick.
     */
    static LabelMap blobs(Geometry grid) {
        LabelMap labels = LabelMap.create(grid, 3);
        int nx = grid.nx();
        int ny = grid.ny();
        int nz = grid.nz();
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int label = 0;
                    if (x >= nx / 5 && x < nx / 2 && y >= ny / 4 && y < 3 * ny / 4 && z >= nz / 4 && z < nz / 2) {
                        label = 1;
                    }
                    double dx = x - 0.65 * nx;
                    double dy = y - 0.5 * ny;
                    double dz = z - 0.65 * nz;
                    if (Math.abs(dx) < 0.22 * nx && Math.abs(dy) < 0.22 * ny && Math.abs(dz) < 0.22 * nz) {
                        label = 3;
                    }
                    if (dx * dx + dy * dy + dz * dz < Math.pow(0.12 * Math.min(nx, Math.min(ny, nz)), 2)) {
                        label = 2;
                    }
                    labels.set(x, y, z, label);
                }
            }
        }
        return labels;
    }

    /** The label of every voxel, for comparisons. */
    static int[] labelsOf(LabelMap labels) {
        int[] values = new int[labels.geometry().voxels()];
        for (int i = 0; i < values.length; i++) {
            values[i] = labels.get(i);
        }
        return values;
    }

    /** World distance (mm) between voxel a of grid g and voxel b of grid h. */
    static double worldDistance(Geometry g, int ax, int ay, int az, Geometry h, int bx, int by, int bz) {
        double[] p = g.voxelToWorld(ax, ay, az);
        double[] q = h.voxelToWorld(bx, by, bz);
        return Math.sqrt((p[0] - q[0]) * (p[0] - q[0]) + (p[1] - q[1]) * (p[1] - q[1])
                + (p[2] - q[2]) * (p[2] - q[2]));
    }
}

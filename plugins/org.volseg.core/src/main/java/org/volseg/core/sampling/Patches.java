package org.volseg.core.sampling;

import java.util.Arrays;
import org.volseg.core.transforms.IntensityNormalization;
import org.volseg.core.volume.Affine;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;

/**
 * Cuts patches out of volumes and label maps into new arrays. Voxels of the patch outside the grid (where the grid
 * is smaller than the patch) get a pad value. The patch's geometry keeps world positions: its voxel 0 is the
 * source's voxel at the patch origin.
 */
public final class Patches {

    private Patches() {
    }

    /** The grid of a patch: the patch's dims, the source affine moved to the patch origin. */
    public static Geometry geometryOf(Geometry grid, PatchBox box) {
        Affine shift = Affine.of(1, 0, 0, box.x(), 0, 1, 0, box.y(), 0, 0, 1, box.z(), 0, 0, 0, 1);
        return new Geometry(box.size().x(), box.size().y(), box.size().z(), grid.affine().times(shift));
    }

    /** Every channel's patch, as a new volume on the patch's grid. */
    public static Volume extract(Volume volume, PatchBox box, float padValue) {
        float[] pads = new float[volume.channelCount()];
        Arrays.fill(pads, padValue);
        return extract(volume, box, pads);
    }

    /** Every channel's patch, channel c padded with {@code padValues[c]}, as a new volume on the patch's grid. */
    public static Volume extract(Volume volume, PatchBox box, float[] padValues) {
        if (padValues.length != volume.channelCount()) {
            throw new IllegalArgumentException(padValues.length + " pad values for " + volume.channelCount()
                    + " channel(s)");
        }
        Geometry patchGrid = geometryOf(volume.geometry(), box);
        float[][] channels = new float[volume.channelCount()][];
        for (int c = 0; c < channels.length; c++) {
            channels[c] = new float[patchGrid.voxels()];
            copy(volume.channel(c), volume.geometry(), box, padValues[c], channels[c], 0);
        }
        return new Volume(patchGrid, channels);
    }

    /** The label patch, as a new label map on the patch's grid. */
    public static LabelMap extract(LabelMap labels, PatchBox box, int padLabel) {
        Geometry grid = labels.geometry();
        Geometry patchGrid = geometryOf(grid, box);
        LabelMap patch = LabelMap.create(patchGrid, Math.max(labels.capacity(), padLabel));
        PatchSize size = box.size();
        for (int z = 0, i = 0; z < size.z(); z++) {
            int sz = box.z() + z;
            for (int y = 0; y < size.y(); y++) {
                int sy = box.y() + y;
                for (int x = 0; x < size.x(); x++, i++) {
                    int sx = box.x() + x;
                    boolean inside = sx >= 0 && sy >= 0 && sz >= 0 && sx < grid.nx() && sy < grid.ny()
                            && sz < grid.nz();
                    int label = inside ? labels.get(sx, sy, sz) : padLabel;
                    if (label != 0) {
                        patch.set(i, label);
                    }
                }
            }
        }
        return patch;
    }

    /**
     * Copies one channel's patch into {@code out} from {@code offset} on (x fastest), for filling a batch array
     * without allocating.
     *
     * @param channel the source voxels on {@code grid}, x fastest
     */
    public static void copy(float[] channel, Geometry grid, PatchBox box, float padValue, float[] out, int offset) {
        copy(channel, grid, box, padValue, out, offset, null);
    }

    /**
     * As {@link #copy(float[], Geometry, PatchBox, float, float[], int)}, each voxel inside the grid mapped by
     * {@code scaling} (null: as it is) and the padding left at {@code padValue}.
     */
    public static void copy(float[] channel, Geometry grid, PatchBox box, float padValue, float[] out, int offset,
            IntensityNormalization.Scaling scaling) {
        if (channel.length != grid.voxels()) {
            throw new IllegalArgumentException(channel.length + " values for a grid of " + grid.voxels());
        }
        PatchSize size = box.size();
        if (offset < 0 || (long) offset + size.voxels() > out.length) {
            throw new IllegalArgumentException("a " + size + " patch from " + offset + " does not fit in "
                    + out.length + " values");
        }
        // the x range of each row that lies inside the grid, copied in one go
        int fromX = Math.max(0, box.x());
        int toX = Math.min(grid.nx(), box.endX());
        int row = 0;
        for (int z = 0; z < size.z(); z++) {
            int sz = box.z() + z;
            for (int y = 0; y < size.y(); y++, row++) {
                int sy = box.y() + y;
                int start = offset + row * size.x();
                if (sz < 0 || sz >= grid.nz() || sy < 0 || sy >= grid.ny() || fromX >= toX) {
                    Arrays.fill(out, start, start + size.x(), padValue);
                    continue;
                }
                int before = fromX - box.x();
                Arrays.fill(out, start, start + before, padValue);
                System.arraycopy(channel, grid.index(fromX, sy, sz), out, start + before, toX - fromX);
                if (scaling != null) {
                    scaling.applyInPlace(out, start + before, start + before + toX - fromX);
                }
                Arrays.fill(out, start + before + toX - fromX, start + size.x(), padValue);
            }
        }
    }
}

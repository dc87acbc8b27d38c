package org.volseg.core.data;

import java.io.IOException;
import java.nio.file.Path;
import org.volseg.core.io.NiftiReader;
import org.volseg.core.transforms.Box;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;

/**
 * Colin27 from Debian's mricron-data as segmentation tasks: the T1 ({@code ch2}, 1 mm, MNI space) with the brain
 * mask {@code ch2bet > 0} or with regions of the AAL atlas, split at the midline (world x = 0) so that one hemisphere
 * can train and the other test.
 */
public final class Colin27 {

    private static final ReferenceData SOURCE = ReferenceData.MRICRON_TEMPLATES;

    private Colin27() {
    }

    /** The T1 file, or a sentence saying which package to install. */
    public static Path t1() throws IOException {
        return file("ch2.nii.gz");
    }

    /** The T1 image. */
    public static Volume image() throws IOException {
        return NiftiReader.read(t1()).volume();
    }

    /** Brain = any non-zero voxel of the brain-extracted T1 ({@code ch2bet}), on the T1's grid. */
    public static LabelMap brainMask() throws IOException {
        Volume extracted = NiftiReader.read(file("ch2bet.nii.gz")).volume();
        float[] v = extracted.channel(0);
        LabelMap mask = LabelMap.create(extracted.geometry(), 1);
        for (int i = 0; i < v.length; i++) {
            mask.set(i, v[i] > 0 ? 1 : 0);
        }
        return mask;
    }

    /**
     * The AAL atlas ({@code aal.nii.gz}, on the T1's grid) restricted to a few regions: a voxel whose AAL index is in
     * {@code regions[k]} is labelled k + 1, every other voxel 0 (background). AAL numbers left and right regions
     * apart (odd left, even right), so a class that spans both hemispheres names both indices.
     *
     * @throws IllegalArgumentException when an index appears in two regions or is outside 1..255
     */
    public static LabelMap aalRegions(int[]... regions) throws IOException {
        int[] classOfIndex = new int[256];
        for (int k = 0; k < regions.length; k++) {
            for (int index : regions[k]) {
                if (index < 1 || index > 255 || classOfIndex[index] != 0) {
                    throw new IllegalArgumentException("AAL index " + index + " must lie in 1..255 and in one region"
                            + " only");
                }
                classOfIndex[index] = k + 1;
            }
        }
        LabelMap atlas = NiftiReader.readLabels(file("aal.nii.gz"));
        LabelMap restricted = LabelMap.create(atlas.geometry(), regions.length);
        for (int i = 0; i < atlas.geometry().voxels(); i++) {
            int index = atlas.get(i);
            restricted.set(i, index < classOfIndex.length ? classOfIndex[index] : 0);
        }
        return restricted;
    }

    /**
     * The voxels left (world x &lt; 0) and right of the midline of an axis-aligned grid: {left, right}.
     *
     * @throws IllegalArgumentException when the midline is not inside the grid
     */
    public static Box[] hemispheres(Geometry g) {
        int mid = (int) Math.round(g.worldToVoxel(0, 0, 0)[0]);
        if (mid <= 0 || mid >= g.nx() - 1) {
            throw new IllegalArgumentException("the midline x = 0 mm is not inside " + g);
        }
        boolean xTowardsRight = g.voxelToWorld(1, 0, 0)[0] > g.voxelToWorld(0, 0, 0)[0];
        Box low = new Box(0, 0, 0, mid, g.ny(), g.nz());
        Box high = new Box(mid, 0, 0, g.nx() - mid, g.ny(), g.nz());
        return xTowardsRight ? new Box[] {low, high} : new Box[] {high, low};
    }

    private static Path file(String name) throws IOException {
        return SOURCE.file(name).orElseThrow(() -> new IOException(name + " (Colin27) is not in " + SOURCE.folder()
                + "; install the Debian package " + SOURCE.debianPackage()));
    }
}

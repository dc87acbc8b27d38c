package org.volseg.core.sampling;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;

/**
 * nnU-Net's foreground oversampling: each patch is, with probability {@code foregroundShare} (default ⅓, nnU-Net's
 * {@code oversample_foreground_percent}), centred on a voxel of a foreground class (the class drawn uniformly among
 * those present, then the voxel uniformly among its voxels); otherwise drawn as {@link UniformPatchSampler} does.
 * Small structures thus appear in a fixed share of patches however few voxels they have.
 *
 * <p>A centred patch is shifted as little as needed to lie inside the grid, so its voxel may sit off-centre but is
 * always in the patch. Where an axis is shorter than the patch, the grid is centred in the patch as for uniform
 * draws. With no foreground voxel at all, every draw is uniform.
 */
public final class ClassBalancedPatchSampler implements PatchSampler {

    /** nnU-Net's default share of foreground-centred patches. */
    public static final double DEFAULT_FOREGROUND_SHARE = 1.0 / 3;

    private final Geometry grid;
    private final PatchSize size;
    private final double foregroundShare;
    private final int[] classes;
    private final int[][] voxelsOfClass;
    private final UniformPatchSampler uniform;

    /** Oversamples every label above 0 present in the map, with nnU-Net's default share. */
    public ClassBalancedPatchSampler(LabelMap labels, PatchSize size) {
        this(labels, size, DEFAULT_FOREGROUND_SHARE);
    }

    /** Oversamples every label above 0 present in the map. */
    public ClassBalancedPatchSampler(LabelMap labels, PatchSize size, double foregroundShare) {
        this(labels, size, foregroundShare, Arrays.stream(labels.labels()).filter(l -> l > 0).toArray());
    }

    /**
     * Oversamples the given classes (those absent from the map are skipped).
     *
     * @param foregroundShare the probability, 0 to 1, that a patch is centred on a foreground voxel
     */
    public ClassBalancedPatchSampler(LabelMap labels, PatchSize size, double foregroundShare,
            int... foregroundClasses) {
        if (!(foregroundShare >= 0 && foregroundShare <= 1)) {
            throw new IllegalArgumentException("foreground share must be within 0..1, got " + foregroundShare);
        }
        this.grid = labels.geometry();
        this.size = Objects.requireNonNull(size, "size");
        this.foregroundShare = foregroundShare;
        this.uniform = new UniformPatchSampler(grid, size);
        long[] histogram = labels.histogram();
        int[] present = Arrays.stream(foregroundClasses).distinct().sorted()
                .filter(c -> c >= 0 && c < histogram.length && histogram[c] > 0).toArray();
        this.classes = present;
        this.voxelsOfClass = new int[present.length][];
        int[] slotOfLabel = new int[histogram.length];
        Arrays.fill(slotOfLabel, -1);
        for (int k = 0; k < present.length; k++) {
            voxelsOfClass[k] = new int[(int) histogram[present[k]]];
            slotOfLabel[present[k]] = k;
        }
        int[] filled = new int[present.length];
        for (int i = 0, n = grid.voxels(); i < n; i++) {
            int slot = slotOfLabel[labels.get(i)];
            if (slot >= 0) {
                voxelsOfClass[slot][filled[slot]++] = i;
            }
        }
    }

    @Override
    public PatchSize patchSize() {
        return size;
    }

    /** The share of patches centred on foreground. */
    public double foregroundShare() {
        return foregroundShare;
    }

    /** The foreground classes present, which centred patches are drawn from. */
    public int[] presentClasses() {
        return classes.clone();
    }

    @Override
    public SampledPatch next(SplittableRandom random) {
        // always one draw for the decision, so the stream of draws does not depend on the map's content
        boolean foreground = random.nextDouble() < foregroundShare;
        if (!foreground || classes.length == 0) {
            return uniform.next(random);
        }
        int k = random.nextInt(classes.length);
        int[] voxels = voxelsOfClass[k];
        int index = voxels[random.nextInt(voxels.length)];
        int x = index % grid.nx();
        int y = index / grid.nx() % grid.ny();
        int z = index / (grid.nx() * grid.ny());
        PatchBox box = new PatchBox(PatchOrigins.originAround(x, grid.nx(), size.x()),
                PatchOrigins.originAround(y, grid.ny(), size.y()), PatchOrigins.originAround(z, grid.nz(), size.z()),
                size);
        return new SampledPatch(box, classes[k]);
    }
}

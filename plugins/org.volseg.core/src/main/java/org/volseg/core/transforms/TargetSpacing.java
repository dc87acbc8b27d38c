package org.volseg.core.transforms;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.volseg.core.metrics.SurfaceDistances;
import org.volseg.core.volume.Geometry;

/**
 * The spacing a learner resamples its cases to, as its "Resample to" setting reads and writes it: "keep" (each
 * image's own; "0" says the same), "auto" (from the training cases, as nnU-Net plans it: {@link #planned}), one
 * size in mm for isotropic voxels ("1.5"), or three for x, y, z of the RAS grid ("0.8,0.8,3").
 *
 * @param auto whether the spacing is planned from the cases
 * @param mm   the spacing (x, y, z, mm) when given, else empty
 */
public record TargetSpacing(boolean auto, List<Double> mm) {

    /** Each image's own spacing. */
    public static final TargetSpacing KEEP = new TargetSpacing(false, List.of());

    /** Planned from the training cases. */
    public static final TargetSpacing AUTO = new TargetSpacing(true, List.of());

    /** How much coarser than the others one axis must be for nnU-Net to call a dataset anisotropic. */
    static final double ANISOTROPY = 3;

    public TargetSpacing {
        mm = List.copyOf(mm);
        if (auto && !mm.isEmpty() || !mm.isEmpty() && (mm.size() != 3 || mm.stream().anyMatch(v -> !(v > 0)
                || !Double.isFinite(v)))) {
            throw new IllegalArgumentException("a target spacing is keep, auto, or one or three sizes in mm, got "
                    + (auto ? "auto " : "") + mm);
        }
    }

    /** "keep" or "0", "auto", "1.5" or "0.8,0.8,3". */
    public static TargetSpacing parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty() || t.equals("keep")) {
            return KEEP;
        }
        if (t.equals("auto")) {
            return AUTO;
        }
        try {
            double[] sizes = Arrays.stream(t.split(",")).map(String::trim).mapToDouble(Double::parseDouble).toArray();
            if (sizes.length == 1 && sizes[0] == 0) {
                return KEEP;
            }
            if (sizes.length == 1) {
                return new TargetSpacing(false, List.of(sizes[0], sizes[0], sizes[0]));
            }
            return new TargetSpacing(false, Arrays.stream(sizes).boxed().toList());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not keep, auto, or one or three sizes in mm "
                    + "(such as 1.5 or 0.8,0.8,3)", e);
        }
    }

    /**
     * nnU-Net's target spacing for a dataset: on each axis of the grids reoriented to RAS, the median spacing.
     * When one axis's median is more than {@value #ANISOTROPY} times the others' largest and its median voxel
     * count less than a third of the others' smallest (thick slices), that axis takes the 10th percentile of its
     * spacings instead (no finer than the others' largest), so that the cases with thinner slices keep them.
     *
     * @throws IllegalArgumentException when there are no grids
     */
    public static List<Double> planned(List<Geometry> grids) {
        if (grids.isEmpty()) {
            throw new IllegalArgumentException("planning a spacing needs at least one case");
        }
        double[][] spacings = new double[3][grids.size()];
        double[][] sizes = new double[3][grids.size()];
        for (int i = 0; i < grids.size(); i++) {
            Geometry ras = Reorientation.toRas(grids.get(i)).target();
            double[] s = {ras.spacingX(), ras.spacingY(), ras.spacingZ()};
            int[] n = {ras.nx(), ras.ny(), ras.nz()};
            for (int a = 0; a < 3; a++) {
                spacings[a][i] = s[a];
                sizes[a][i] = n[a];
            }
        }
        double[] target = new double[3];
        double[] size = new double[3];
        for (int a = 0; a < 3; a++) {
            Arrays.sort(spacings[a]);
            Arrays.sort(sizes[a]);
            target[a] = SurfaceDistances.percentile(spacings[a], 50);
            size[a] = SurfaceDistances.percentile(sizes[a], 50);
        }
        int coarse = target[0] >= target[1] && target[0] >= target[2] ? 0 : target[1] >= target[2] ? 1 : 2;
        double othersSpacing = 0;
        double othersSize = Double.POSITIVE_INFINITY;
        for (int a = 0; a < 3; a++) {
            if (a != coarse) {
                othersSpacing = Math.max(othersSpacing, target[a]);
                othersSize = Math.min(othersSize, size[a]);
            }
        }
        if (target[coarse] > ANISOTROPY * othersSpacing && size[coarse] * ANISOTROPY < othersSize) {
            target[coarse] = Math.max(othersSpacing, SurfaceDistances.percentile(spacings[coarse], 10));
        }
        return List.of(target[0], target[1], target[2]);
    }

    @Override
    public String toString() {
        if (auto) {
            return "auto";
        }
        if (mm.isEmpty()) {
            return "keep";
        }
        if (mm.get(0).equals(mm.get(1)) && mm.get(1).equals(mm.get(2))) {
            return number(mm.get(0));
        }
        return mm.stream().map(TargetSpacing::number).collect(Collectors.joining(","));
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}

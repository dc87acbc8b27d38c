package org.volseg.core.transforms;

import org.volseg.core.volume.Affine;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;

/**
 * A change of voxel grid planned on a {@link Geometry}: it records the grid it reads ({@link #source()}), the grid it
 * writes ({@link #target()}) and the map from target voxels to source voxels, which is all that is needed to undo
 * it. The same plan applied to an image and to its labels keeps them aligned.
 *
 * <p>World positions are kept: a target voxel centre and the source point it is read from are the same point in
 * the patient, {@code target().affine() == source().affine() · targetToSourceVoxels()} (up to rounding).
 */
public interface GeometricTransform {

    /** Largest difference (mm) between an affine element and the planned grid's that {@code apply} accepts. */
    double GRID_TOLERANCE_MM = 1e-3;

    /** The grid this transform reads. */
    Geometry source();

    /** The grid this transform writes. */
    Geometry target();

    /** Target voxel (i, j, k) to the (possibly fractional) source voxel it is read from. */
    Affine targetToSourceVoxels();

    /** Whether applying it only copies voxels (no interpolation), so that {@code inverse()} undoes it bit for bit. */
    boolean exact();

    /** Whether it changes nothing: the same grid, each voxel read from itself ({@code apply} still copies). */
    default boolean isIdentity() {
        return exact() && source().equals(target()) && targetToSourceVoxels().equals(Affine.identity());
    }

    /** The image on {@link #target()}; images are read with this transform's interpolation, each channel alike. */
    Volume apply(Volume image);

    /** The labels on {@link #target()}, read at the nearest voxel. */
    LabelMap apply(LabelMap labels);

    /**
     * The transform from {@link #target()} back to {@link #source()}; its target is this transform's recorded
     * source grid itself (same dims, the very same affine), so nothing about the original grid is recomputed.
     */
    GeometricTransform inverse();

    /** Image and labels together, with the one transform: they stay aligned. */
    default ImageAndLabels apply(ImageAndLabels pair) {
        return new ImageAndLabels(apply(pair.image()), apply(pair.labels()));
    }

    /** Puts data made on {@link #target()} (for example a network's probabilities) back on {@link #source()}. */
    default Volume invert(Volume onTarget) {
        return inverse().apply(onTarget);
    }

    /** Puts labels made on {@link #target()} (for example a prediction) back on {@link #source()}. */
    default LabelMap invert(LabelMap onTarget) {
        return inverse().apply(onTarget);
    }
}

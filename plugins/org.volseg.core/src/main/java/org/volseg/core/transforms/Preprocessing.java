package org.volseg.core.transforms;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;

/**
 * How a model sees its images, decided once at training and replayed at prediction: crop to the non-zero region
 * (nnU-Net's crop, MONAI's CropForeground), reorient to a code, resample to a spacing, normalise intensities per
 * case. A model bundle records it ({@link #toMap()}), so that prediction
 * prepares a new image exactly as the training images were, and {@link Prepared#transform()} puts the prediction
 * back on the input's own grid.
 *
 * @param orientation   voxel-axis code to reorient to ("RAS"), or null to keep each image's own
 * @param spacing       spacing (mm) along x, y, z to resample to, or empty to keep each image's own
 * @param normalization per-case intensity normalisation
 * @param cropToNonzero whether each image is first cropped to the box of its voxels that are non-zero in any
 *                      channel (a skull-stripped brain, a CT with its air set to 0): less to predict, and at
 *                      prediction the rest is background
 */
public record Preprocessing(String orientation, List<Double> spacing, Normalization normalization,
        boolean cropToNonzero) {

    /** Per-case, per-channel intensity normalisation. */
    public enum Normalization {
        /** Values as they are (already normalised, or a CT window applied upstream). */
        NONE,
        /** z-score over the whole grid (nnU-Net's default for MR). */
        ZSCORE,
        /** z-score over the non-zero voxels, zeros stay 0 (skull-stripped MR, MONAI's {@code nonzero=True}). */
        ZSCORE_NONZERO
    }

    public Preprocessing {
        if (orientation != null) {
            Reorientation.to(Geometry.of(1, 1, 1, 1, 1, 1), orientation); // a bad code fails here, not at prediction
        }
        spacing = List.copyOf(spacing);
        if (!spacing.isEmpty() && (spacing.size() != 3 || spacing.stream().anyMatch(s -> !(s > 0)
                || !Double.isFinite(s)))) {
            throw new IllegalArgumentException("spacing is three positive sizes in mm (x, y, z) or none, got "
                    + spacing);
        }
        if (normalization == null) {
            throw new IllegalArgumentException("normalization is one of " + List.of(Normalization.values()));
        }
    }

    /** Without the crop. */
    public Preprocessing(String orientation, List<Double> spacing, Normalization normalization) {
        this(orientation, spacing, normalization, false);
    }

    /** RAS, each image's own spacing, z-score: what suits most MR data without resampling. */
    public static Preprocessing defaults() {
        return new Preprocessing("RAS", List.of(), Normalization.ZSCORE);
    }

    /** The same with every image resampled to {@code mm} isotropic voxels. */
    public Preprocessing withSpacing(double mm) {
        return new Preprocessing(orientation, List.of(mm, mm, mm), normalization, cropToNonzero);
    }

    /** The same, cropping to the non-zero region first or not. */
    public Preprocessing withCropToNonzero(boolean crop) {
        return new Preprocessing(orientation, spacing, normalization, crop);
    }

    /**
     * An image ready for the network, and the change of grid that made it (its inverse undoes it).
     *
     * @param image     on the network's grid; normalised unless {@code scalings} is not empty
     * @param crop      the crop it began with, or null when there was none
     * @param afterCrop the rest of the change (reorientation, resampling), from the cropped grid
     * @param scalings  per channel, the normalisation still to apply to whatever is cut from {@code image}, or
     *                  empty when it is applied (see {@link #prepareDeferringNormalization})
     */
    public record Prepared(Volume image, GeometricTransform transform, AxisAlignedTransform crop,
            GeometricTransform afterCrop, List<IntensityNormalization.Scaling> scalings) {

        public Prepared {
            scalings = List.copyOf(scalings);
        }

        /** Without a crop, normalised. */
        public Prepared(Volume image, GeometricTransform transform) {
            this(image, transform, null, transform, List.of());
        }
    }

    /** The change of grid this preprocessing makes from {@code source} after any crop: reorientation, resampling. */
    public GeometricTransform plan(Geometry source) {
        return plan(TransformChain.startingAt(source));
    }

    private TransformChain plan(TransformChain chain) {
        if (orientation != null) {
            chain = chain.then(g -> Reorientation.to(g, orientation));
        }
        if (!spacing.isEmpty()) {
            chain = chain.then(g -> Resampling.toSpacing(g, spacing.get(0), spacing.get(1), spacing.get(2)));
        }
        return chain;
    }

    /** The crop of {@code image} to its non-zero box, or null when this preprocessing does not crop. */
    private AxisAlignedTransform crop(Volume image) {
        return cropToNonzero ? Cropping.crop(image.geometry(), Cropping.foreground(image, 0)) : null;
    }

    /** The image on the planned grid, normalised. */
    public Prepared prepare(Volume image) {
        Prepared onGrid = prepareDeferringNormalization(image);
        return onGrid.scalings().isEmpty() ? onGrid : new Prepared(IntensityNormalization.scaled(onGrid.image(),
                onGrid.scalings()), onGrid.transform(), onGrid.crop(), onGrid.afterCrop(), List.of());
    }

    /**
     * The image on the planned grid with its normalisation computed but not applied ({@link Prepared#scalings}):
     * for a caller that cuts windows and normalises each, so that no normalised copy of the whole image is made.
     * The image may be {@code image} itself (when the grid does not change); it must not be modified.
     */
    public Prepared prepareDeferringNormalization(Volume image) {
        AxisAlignedTransform crop = crop(image);
        GeometricTransform afterCrop = crop == null ? plan(image.geometry()) : plan(crop.target());
        GeometricTransform whole = crop == null ? afterCrop
                : plan(TransformChain.startingAt(image.geometry()).then(crop));
        Volume onGrid = whole.isIdentity() ? image : whole.apply(image);
        return new Prepared(onGrid, whole, crop, afterCrop, scalings(onGrid));
    }

    /** Per channel, the normalisation of {@code image} as a map of values; empty for none. */
    public List<IntensityNormalization.Scaling> scalings(Volume image) {
        return switch (normalization) {
            case NONE -> List.of();
            case ZSCORE -> IntensityNormalization.zScoreScalings(image, false);
            case ZSCORE_NONZERO -> IntensityNormalization.zScoreScalings(image, true);
        };
    }

    /** Image and labels on the planned grid (labels by nearest voxel), the image normalised; the crop is the image's. */
    public ImageAndLabels prepare(Volume image, LabelMap labels) {
        AxisAlignedTransform crop = crop(image);
        GeometricTransform transform = crop == null ? plan(image.geometry())
                : plan(TransformChain.startingAt(image.geometry()).then(crop));
        return new ImageAndLabels(normalize(transform.apply(image)), transform.apply(labels));
    }

    /** Intensities normalised as {@link #normalization()} says. */
    public Volume normalize(Volume image) {
        List<IntensityNormalization.Scaling> scalings = scalings(image);
        return scalings.isEmpty() ? image : IntensityNormalization.scaled(image, scalings);
    }

    /** As a bundle manifest records it. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("orientation", orientation == null ? "keep" : orientation);
        map.put("spacing_mm", spacing.isEmpty() ? "keep" : spacing);
        map.put("normalization", normalization.name().toLowerCase(Locale.ROOT));
        map.put("crop_to_nonzero", cropToNonzero);
        return map;
    }

    /**
     * Reads what {@link #toMap()} wrote.
     *
     * @throws IllegalArgumentException naming the field and what it should hold
     */
    public static Preprocessing fromMap(Map<String, ?> map) {
        Object o = map.get("orientation");
        if (!(o instanceof String orientationText)) {
            throw new IllegalArgumentException("preprocessing.orientation should be a code such as \"RAS\" or "
                    + "\"keep\", got " + o);
        }
        Object s = map.get("spacing_mm");
        List<Double> spacing = new ArrayList<>();
        if (s instanceof List<?> list) {
            for (Object v : list) {
                if (!(v instanceof Number n)) {
                    throw new IllegalArgumentException("preprocessing.spacing_mm should hold numbers, got " + list);
                }
                spacing.add(n.doubleValue());
            }
        } else if (!"keep".equals(s)) {
            throw new IllegalArgumentException("preprocessing.spacing_mm should be [x, y, z] in mm or \"keep\", got "
                    + s);
        }
        Object n = map.get("normalization");
        Normalization normalization;
        try {
            normalization = Normalization.valueOf(String.valueOf(n).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("preprocessing.normalization should be one of none, zscore, "
                    + "zscore_nonzero, got " + n, e);
        }
        Object crop = map.containsKey("crop_to_nonzero") ? map.get("crop_to_nonzero") : Boolean.FALSE; // older bundles
        if (!(crop instanceof Boolean cropToNonzero)) {
            throw new IllegalArgumentException("preprocessing.crop_to_nonzero should be true or false, got " + crop);
        }
        try {
            return new Preprocessing("keep".equals(orientationText) ? null : orientationText, spacing, normalization,
                    cropToNonzero);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("preprocessing: " + e.getMessage(), e);
        }
    }
}

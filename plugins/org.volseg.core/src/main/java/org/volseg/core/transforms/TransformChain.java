package org.volseg.core.transforms;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import org.volseg.core.volume.Affine;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;

/**
 * Geometric transforms applied one after another, each planned on the previous one's output grid: a whole
 * preprocessing pipeline (reorient, resample, crop, pad) as one transform. {@link #inverse()} undoes the steps in
 * reverse order, so a prediction on the last grid goes back to the first. Immutable: {@link #then} returns a new
 * chain.
 */
public final class TransformChain implements GeometricTransform {

    private final Geometry source;
    private final List<GeometricTransform> steps;

    private TransformChain(Geometry source, List<GeometricTransform> steps) {
        this.source = source;
        this.steps = steps;
    }

    /** A chain with no steps yet, starting on {@code source}. */
    public static TransformChain startingAt(Geometry source) {
        return new TransformChain(source, List.of());
    }

    /** This chain followed by {@code step}, which must have been planned on this chain's {@link #target()}. */
    public TransformChain then(GeometricTransform step) {
        Grids.require(target(), step.source(), "the next step's source");
        List<GeometricTransform> longer = new ArrayList<>(steps);
        longer.add(step);
        return new TransformChain(source, Collections.unmodifiableList(longer));
    }

    /** This chain followed by the step {@code plan} makes for this chain's {@link #target()}. */
    public TransformChain then(Function<Geometry, ? extends GeometricTransform> plan) {
        return then(plan.apply(target()));
    }

    /** The steps, first applied first. */
    public List<GeometricTransform> steps() {
        return steps;
    }

    @Override
    public Geometry source() {
        return source;
    }

    @Override
    public Geometry target() {
        return steps.isEmpty() ? source : steps.get(steps.size() - 1).target();
    }

    @Override
    public Affine targetToSourceVoxels() {
        Affine map = Affine.identity();
        for (GeometricTransform step : steps) {
            map = map.times(step.targetToSourceVoxels());
        }
        return map;
    }

    @Override
    public boolean exact() {
        return steps.stream().allMatch(GeometricTransform::exact);
    }

    @Override
    public Volume apply(Volume image) {
        Grids.require(source, image.geometry(), "the image");
        Volume current = image;
        for (GeometricTransform step : stepsOrIdentity()) {
            current = step.apply(current);
        }
        return current;
    }

    @Override
    public LabelMap apply(LabelMap labels) {
        Grids.require(source, labels.geometry(), "the labels");
        LabelMap current = labels;
        for (GeometricTransform step : stepsOrIdentity()) {
            current = step.apply(current);
        }
        return current;
    }

    /** The steps; an empty chain copies, so that apply never hands back its input. */
    private List<GeometricTransform> stepsOrIdentity() {
        return steps.isEmpty() ? List.of(AxisAlignedTransform.identity(source)) : steps;
    }

    @Override
    public TransformChain inverse() {
        List<GeometricTransform> reversed = new ArrayList<>(steps.size());
        for (int i = steps.size() - 1; i >= 0; i--) {
            reversed.add(steps.get(i).inverse());
        }
        return new TransformChain(target(), Collections.unmodifiableList(reversed));
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("TransformChain(").append(source);
        for (GeometricTransform step : steps) {
            s.append("\n  then ").append(step);
        }
        return s.append(')').toString();
    }
}

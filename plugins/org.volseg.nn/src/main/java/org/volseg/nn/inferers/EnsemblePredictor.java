package org.volseg.nn.inferers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Several models trained for the same labels seen as one, as nnU-Net ensembles the models of its cross-validation
 * folds: a window's class probabilities are the mean of the members' softmax. They are handed on as logarithms, so
 * that the sliding window's own softmax gives that mean back exactly and stitching, flips and planning stay as they
 * are for one model. Each member is one more network call per window.
 */
public final class EnsemblePredictor implements PatchPredictor {

    /**
     * Added to the mean before the logarithm so that no logit is −∞; far below float32's resolution near 1, it
     * changes no probability that decides a label.
     */
    private static final float SMALLEST_PROBABILITY = 1e-30f;

    private final List<PatchPredictor> members;
    /** The members' pointwise heads, or null when not split. */
    private final List<PointwiseHead> heads;
    /** Where each member's channels start in the split head's input, the total last; null: not split. */
    private final int[] headChannels;
    /** The ensemble split before its members' heads, made once; null: not split. */
    private final PointwiseHead split;

    /** @param members two or more models with the same input channels and output classes, in the same order */
    public EnsemblePredictor(List<PatchPredictor> members) {
        this(members, null);
    }

    /**
     * @param members    as above
     * @param headWidths the channels of each member's pointwise head input, to split the ensemble before its heads
     *                   ({@link #pointwiseHead()}), or null not to
     */
    public EnsemblePredictor(List<PatchPredictor> members, int[] headWidths) {
        if (members.size() < 2) {
            throw new IllegalArgumentException("an ensemble needs two or more models; got " + members.size());
        }
        members.forEach(m -> Objects.requireNonNull(m, "member"));
        this.members = List.copyOf(members);
        if (headWidths == null) {
            heads = null;
            headChannels = null;
            split = null;
            return;
        }
        heads = this.members.stream().map(PatchPredictor::pointwiseHead).toList();
        if (headWidths.length != members.size() || heads.contains(null)) {
            throw new IllegalArgumentException("splitting an ensemble needs the head input width of each of its "
                    + members.size() + " members, every one with a pointwise head");
        }
        headChannels = new int[headWidths.length + 1];
        for (int i = 0; i < headWidths.length; i++) {
            headChannels[i + 1] = headChannels[i] + headWidths[i];
        }
        split = PointwiseHead.of(this::headInputs, this::head);
    }

    /**
     * Whether splitting an ensemble before its members' pointwise heads holds less than it saves: the sliding window
     * would hold the members' head inputs side by side and one member's being made ({@code Σ widths + max width}
     * floats a window voxel) where unsplit it holds the logits, their sum and a member's probabilities (3 · K).
     * Five folds 32 wide split from 65 classes on, two 16 wide from 17; one network alone always splits.
     */
    public static boolean splitHoldsLess(int[] headWidths, int classes) {
        int sum = 0;
        int max = 0;
        for (int w : headWidths) {
            sum += w;
            max = Math.max(max, w);
        }
        return sum + max < 3L * classes;
    }

    @Override
    public int models() {
        return members.size();
    }

    @Override
    public NDArray logits(NDArray patches) {
        return logMean(members.stream().map(m -> (Supplier<NDArray>) () -> m.logits(patches)).toList());
    }

    /**
     * Split before the members' heads when made so ({@code headWidths}): the head's input is the members' inputs
     * side by side along the channels, and the head runs each member's head on its own channels and averages their
     * softmax, which is voxel by voxel too. The sliding window then holds the members' head inputs of a window
     * rather than its K logits, so class-chunk stitching of an ensemble does not grow with K either.
     */
    @Override
    public PointwiseHead pointwiseHead() {
        return split;
    }

    /** Each member's head on its own channels of {@code in}, their softmax averaged (as logarithms). */
    private NDArray head(NDArray in) {
        if (in.getShape().get(1) != headChannels[heads.size()]) {
            throw new IllegalStateException("the ensemble's head was given " + in.getShape().get(1)
                    + " channels where its members' head inputs have " + headChannels[heads.size()]);
        }
        List<Supplier<NDArray>> logits = new ArrayList<>();
        for (int i = 0; i < heads.size(); i++) {
            PointwiseHead head = heads.get(i);
            NDIndex own = new NDIndex(":, {}:{}", headChannels[i], headChannels[i + 1]);
            logits.add(() -> {
                try (NDArray part = in.get(own)) {
                    return head.head(part);
                }
            });
        }
        return logMean(logits);
    }

    /**
     * The members' head inputs side by side along the channels, each copied into place as it is made: one member's
     * beside the whole at a time, not all of them twice.
     */
    private NDArray headInputs(NDArray patches) {
        NDArray all = null;
        for (int i = 0; i < heads.size(); i++) {
            NDArray in = heads.get(i).headInput(patches);
            long width = in.getShape().get(1);
            if (width != headChannels[i + 1] - headChannels[i]) {
                in.close();
                if (all != null) {
                    all.close();
                }
                throw new IllegalStateException("ensemble member " + (i + 1) + "'s head input has " + width
                        + " channels, not the " + (headChannels[i + 1] - headChannels[i]) + " it was made with");
            }
            if (all == null) {
                Shape shape = in.getShape();
                // uninitialised: every channel is set below
                all = patches.getManager().create(new Shape(shape.get(0), headChannels[heads.size()], shape.get(2),
                        shape.get(3), shape.get(4)), in.getDataType());
            }
            all.set(new NDIndex(":, {}:{}", headChannels[i], headChannels[i + 1]), in);
            in.close();
        }
        return all;
    }

    /** The logarithm of the mean softmax of the members' logits, made one member at a time. */
    private NDArray logMean(List<Supplier<NDArray>> memberLogits) {
        NDArray sum = null;
        for (Supplier<NDArray> member : memberLogits) {
            NDArray logits = member.get();
            NDArray probabilities = logits.softmax(1);
            logits.close();
            if (sum == null) {
                sum = probabilities;
            } else {
                if (!sum.getShape().equals(probabilities.getShape())) {
                    throw new IllegalStateException("ensemble members gave logits of shapes " + sum.getShape()
                            + " and " + probabilities.getShape() + " for the same windows");
                }
                sum.addi(probabilities);
                probabilities.close();
            }
        }
        NDArray logMean = sum.divi(memberLogits.size()).addi(SMALLEST_PROBABILITY).log();
        sum.close();
        return logMean;
    }

    @Override
    public String takeReport() {
        String reports = members.stream().map(PatchPredictor::takeReport).filter(Objects::nonNull)
                .collect(Collectors.joining("; "));
        return reports.isEmpty() ? null : reports;
    }
}

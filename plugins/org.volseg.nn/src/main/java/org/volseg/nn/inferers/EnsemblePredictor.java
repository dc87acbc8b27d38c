package org.volseg.nn.inferers;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Objects;
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

    /** @param members two or more models with the same input channels and output classes, in the same order */
    public EnsemblePredictor(List<PatchPredictor> members) {
        if (members.size() < 2) {
            throw new IllegalArgumentException("an ensemble needs two or more models; got " + members.size());
        }
        members.forEach(m -> Objects.requireNonNull(m, "member"));
        this.members = List.copyOf(members);
    }

    @Override
    public int models() {
        return members.size();
    }

    @Override
    public NDArray logits(NDArray patches) {
        NDArray sum = null;
        for (PatchPredictor member : members) {
            NDArray logits = member.logits(patches);
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
        NDArray logMean = sum.divi(members.size()).addi(SMALLEST_PROBABILITY).log();
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

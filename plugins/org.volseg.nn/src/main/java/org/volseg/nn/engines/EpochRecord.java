package org.volseg.nn.engines;

import java.util.Map;
import java.util.TreeMap;

/**
 * One line of a training run's history, as learning curves, early stopping and a user watching the run need it.
 *
 * @param epoch           the epoch, from 1
 * @param trainLoss       mean training loss over the epoch's steps
 * @param validationDice  label value to Dice on the validation cases (pooled over them); empty when not validated
 * @param meanDice        mean of {@code validationDice}; NaN when not validated
 * @param learningRate    the learning rate of the epoch's first step
 * @param seconds         wall-clock time of the epoch, validation included
 * @param peakMemoryBytes the process's peak resident memory so far (VmHWM of /proc/self/status); 0 if unknown
 * @param lossTerms       each named term of a loss made of several (distillation), its mean over the steps that had
 *                        it; empty for a loss of one term
 */
public record EpochRecord(int epoch, double trainLoss, Map<Integer, Double> validationDice, double meanDice,
        double learningRate, double seconds, long peakMemoryBytes, Map<String, Double> lossTerms) {

    public EpochRecord {
        validationDice = java.util.Collections.unmodifiableMap(new TreeMap<>(validationDice));
        lossTerms = lossTerms == null ? Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(lossTerms)); // null: a checkpoint written before terms existed
    }

    /** Whether this epoch was validated. */
    public boolean validated() {
        return !validationDice.isEmpty();
    }
}

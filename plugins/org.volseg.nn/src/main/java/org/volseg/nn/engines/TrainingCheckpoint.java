package org.volseg.nn.engines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A patch-training run's state in a {@link CheckpointFile}: {@code checkpoint.json} (settings, label values, history,
 * progress in the current epoch, early-stopping state), {@code parameters.bin} and {@code optimizer.bin}. Random
 * choices derive from the seed and the global step alone, so nothing else is needed to continue exactly where the
 * run stopped.
 */
final class TrainingCheckpoint {

    static final int FORMAT_VERSION = 1;
    static final String PARAMETERS = "parameters.bin";
    static final String OPTIMIZER = "optimizer.bin";

    /**
     * Where a run stands.
     *
     * @param formatVersion                 the checkpoint format
     * @param settings                      the run's settings
     * @param labelValues                   label value of each class
     * @param history                       the finished epochs
     * @param stepsInEpoch                  steps done of the epoch after the history (may equal stepsPerEpoch when
     *                                      only its validation is left)
     * @param epochLossSum                  their losses' sum
     * @param epochSeconds                  time spent on that epoch so far
     * @param epochLearningRate             the learning rate of its first step
     * @param bestEpoch                     best validated epoch so far, 0 if none
     * @param bestMeanDice                  its mean Dice
     * @param validationsWithoutImprovement validations since the best
     * @param stoppedEarly                  whether early stopping ended the run
     * @param epochTermSums                 per loss term, the sum of its step means in that epoch so far
     * @param epochTermSteps                per loss term, the steps that had it
     */
    record State(int formatVersion, TrainingSettings settings, int[] labelValues, List<EpochRecord> history,
            int stepsInEpoch, double epochLossSum, double epochSeconds, double epochLearningRate, int bestEpoch,
            double bestMeanDice, int validationsWithoutImprovement, boolean stoppedEarly,
            Map<String, Double> epochTermSums, Map<String, Integer> epochTermSteps) {

        State {
            history = List.copyOf(history);
            // null: a checkpoint written before loss terms existed
            epochTermSums = epochTermSums == null ? Map.of() : Map.copyOf(epochTermSums);
            epochTermSteps = epochTermSteps == null ? Map.of() : Map.copyOf(epochTermSteps);
        }
    }

    /** A checkpoint as read: its state, and the parameters and optimizer state as named arrays. */
    record Contents(State state, NDList parameters, NDList optimizer) implements AutoCloseable {
        @Override
        public void close() {
            parameters.close();
            optimizer.close();
        }
    }

    private TrainingCheckpoint() {
    }

    static void write(Path file, State state, List<NDArray> parameters, Optimizer optimizer) throws IOException {
        try (NDList optimizerState = optimizer.state()) {
            Map<String, NDList> arrays = new LinkedHashMap<>();
            arrays.put(PARAMETERS, new NDList(parameters));
            arrays.put(OPTIMIZER, optimizerState);
            CheckpointFile.write(file, state, arrays);
        }
    }

    /** Reads a checkpoint; its arrays are made in {@code manager}. */
    static Contents read(Path file, NDManager manager) throws IOException {
        CheckpointFile.Contents<State> read = CheckpointFile.read(file, State.class, List.of(PARAMETERS, OPTIMIZER),
                manager, FORMAT_VERSION, State::formatVersion);
        return new Contents(read.state(), read.arrays().get(PARAMETERS), read.arrays().get(OPTIMIZER));
    }

    /**
     * Refuses a checkpoint of another run: other settings (naming the first that differs), other label values, or
     * parameters of other names, shapes or types (another network).
     */
    static void requireMatch(Path file, Contents contents, TrainingSettings settings, int[] labelValues,
            List<NDArray> parameters) {
        State state = contents.state();
        CheckpointFile.requireSameSettings(file, state.settings(), settings);
        if (!Arrays.equals(state.labelValues(), labelValues)) {
            throw new IllegalArgumentException("the checkpoint " + file + " was written for label values "
                    + Arrays.toString(state.labelValues()) + ", this run has " + Arrays.toString(labelValues)
                    + CheckpointFile.RESUME_ADVICE);
        }
        NDList saved = contents.parameters();
        if (saved.size() != parameters.size()) {
            throw new IllegalArgumentException("the checkpoint " + file + " holds " + saved.size()
                    + " parameters, the network has " + parameters.size() + ": it was written for another network");
        }
        for (NDArray p : parameters) {
            NDArray s = saved.get(p.getName());
            if (s == null) {
                throw new IllegalArgumentException("the checkpoint " + file + " has no parameter '" + p.getName()
                        + "': it was written for another network");
            }
            if (!s.getShape().equals(p.getShape()) || s.getDataType() != p.getDataType()) {
                throw new IllegalArgumentException("the checkpoint " + file + " holds parameter '" + p.getName()
                        + "' as " + s.getDataType() + " " + s.getShape() + ", the network's is " + p.getDataType()
                        + " " + p.getShape() + ": it was written for another network");
            }
        }
    }
}

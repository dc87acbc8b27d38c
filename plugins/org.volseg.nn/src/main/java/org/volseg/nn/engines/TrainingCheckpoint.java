package org.volseg.nn.engines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipOutputStream;
import org.volseg.core.io.AtomicFiles;
import org.volseg.core.io.VolumeFormatException;
import org.volseg.nn.bundle.BoundedZip;

/**
 * A training run's state in one zip, written atomically: {@code checkpoint.json} (settings, label values, history,
 * progress in the current epoch, early-stopping state), {@code parameters.bin} and {@code optimizer.bin} (named
 * arrays in DJL's encoding). Random choices derive from the seed and the global step alone, so nothing else is
 * needed to continue exactly where the run stopped.
 */
final class TrainingCheckpoint {

    static final int FORMAT_VERSION = 1;
    static final String STATE = "checkpoint.json";
    static final String PARAMETERS = "parameters.bin";
    static final String OPTIMIZER = "optimizer.bin";

    private static final long MAX_STATE_BYTES = 64L << 20;
    private static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

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
        byte[] json = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state);
        byte[] encodedParameters = new NDList(parameters).encode();
        byte[] encodedOptimizer;
        try (NDList optimizerState = optimizer.state()) {
            encodedOptimizer = optimizerState.encode();
        }
        AtomicFiles.write(file, tmp -> {
            try (OutputStream raw = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(raw)) {
                entry(zip, STATE, json);
                entry(zip, PARAMETERS, encodedParameters);
                entry(zip, OPTIMIZER, encodedOptimizer);
            }
        });
    }

    private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    /** Reads a checkpoint; its arrays are made in {@code manager}. */
    static Contents read(Path file, NDManager manager) throws IOException {
        byte[] json;
        byte[] parameters;
        byte[] optimizer;
        try {
            Map<String, byte[]> entries = BoundedZip.read(file, Map.of(STATE, MAX_STATE_BYTES, PARAMETERS,
                    MAX_ARRAY_BYTES, OPTIMIZER, MAX_ARRAY_BYTES), "training checkpoint", VolumeFormatException::new);
            json = entries.get(STATE);
            parameters = entries.get(PARAMETERS);
            optimizer = entries.get(OPTIMIZER);
        } catch (ZipException | EOFException | IllegalArgumentException e) {
            throw new VolumeFormatException(file, "zip", "is not a complete training checkpoint (" + e.getMessage()
                    + ")", e);
        }
        String missing = json == null ? STATE : parameters == null ? PARAMETERS : optimizer == null ? OPTIMIZER
                : null;
        if (missing != null) {
            throw new VolumeFormatException(file, missing, "is missing; a training checkpoint holds " + STATE + ", "
                    + PARAMETERS + " and " + OPTIMIZER);
        }
        State state;
        try {
            state = JSON.readValue(json, State.class);
        } catch (JsonProcessingException e) {
            throw new VolumeFormatException(file, STATE, "is not a valid training state (" + e.getOriginalMessage()
                    + ")", e);
        }
        if (state.formatVersion() != FORMAT_VERSION) {
            throw new VolumeFormatException(file, "format_version", "is " + state.formatVersion()
                    + "; this VolSeg reads training checkpoints of format " + FORMAT_VERSION);
        }
        NDList decodedParameters = decode(file, PARAMETERS, parameters, manager);
        try {
            return new Contents(state, decodedParameters, decode(file, OPTIMIZER, optimizer, manager));
        } catch (IOException | RuntimeException e) {
            decodedParameters.close();
            throw e;
        }
    }

    private static NDList decode(Path file, String entry, byte[] bytes, NDManager manager) throws IOException {
        try {
            return NDList.decode(manager, bytes);
        } catch (RuntimeException e) {
            throw new VolumeFormatException(file, entry, "cannot be decoded as arrays (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Refuses a checkpoint of another run: other settings (naming the first that differs), other label values, or
     * parameters of other names, shapes or types (another network).
     */
    static void requireMatch(Path file, Contents contents, TrainingSettings settings, int[] labelValues,
            List<NDArray> parameters) {
        State state = contents.state();
        String advice = ": resume with the settings it was written with, or give another checkpoint file (or delete"
                + " this one) to start afresh";
        for (RecordComponent component : TrainingSettings.class.getRecordComponents()) {
            Object saved = value(component, state.settings());
            Object wanted = value(component, settings);
            if (!Objects.equals(saved, wanted)) {
                throw new IllegalArgumentException("the checkpoint " + file + " was written with "
                        + component.getName() + " = " + saved + ", these settings have " + component.getName()
                        + " = " + wanted + advice);
            }
        }
        if (!Arrays.equals(state.labelValues(), labelValues)) {
            throw new IllegalArgumentException("the checkpoint " + file + " was written for label values "
                    + Arrays.toString(state.labelValues()) + ", this run has " + Arrays.toString(labelValues)
                    + advice);
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

    private static Object value(RecordComponent component, TrainingSettings settings) {
        try {
            return component.getAccessor().invoke(settings);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read setting " + component.getName(), e);
        }
    }
}

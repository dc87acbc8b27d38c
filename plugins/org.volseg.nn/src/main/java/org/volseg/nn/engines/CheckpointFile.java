package org.volseg.nn.engines;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.CharConversionException;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToIntFunction;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipOutputStream;
import org.volseg.core.io.AtomicFiles;
import org.volseg.core.io.VolumeFormatException;
import org.volseg.nn.bundle.BoundedZip;

/**
 * The file a training run keeps its state in, whatever trains: one zip, written atomically, holding
 * {@value #STATE} (the trainer's state as JSON) and named arrays in DJL's encoding, one entry per list (empty for
 * an empty list). Each trainer
 * says what its state and arrays are ({@link TrainingCheckpoint}, OSS-Net's training).
 */
public final class CheckpointFile {

    /** The JSON state's entry. */
    public static final String STATE = "checkpoint.json";

    /** What to do about a checkpoint of another run, after the sentence that says how it differs. */
    public static final String RESUME_ADVICE = ": resume with the settings it was written with, or give another"
            + " checkpoint file (or delete this one) to start afresh";

    private static final long MAX_STATE_BYTES = 64L << 20;
    private static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** A checkpoint as read: the state and, by entry name, its arrays (closed with it). */
    public record Contents<S>(S state, Map<String, NDList> arrays) implements AutoCloseable {
        @Override
        public void close() {
            arrays.values().forEach(NDList::close);
        }
    }

    private CheckpointFile() {
    }

    /** Writes {@code state} as JSON and each list of {@code arrays} under its entry name, atomically. */
    public static void write(Path file, Object state, Map<String, NDList> arrays) throws IOException {
        byte[] json = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state);
        Map<String, byte[]> encoded = new LinkedHashMap<>();
        // DJL cannot decode what it encodes for an empty list: an empty entry stands for one
        arrays.forEach((name, list) -> encoded.put(name, list.isEmpty() ? new byte[0] : list.encode()));
        AtomicFiles.write(file, tmp -> {
            try (OutputStream raw = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(raw)) {
                // float arrays barely compress, and deflating tens of MB took seconds per epoch; entries keep CRCs
                zip.setLevel(Deflater.NO_COMPRESSION);
                entry(zip, STATE, json);
                for (Map.Entry<String, byte[]> e : encoded.entrySet()) {
                    entry(zip, e.getKey(), e.getValue());
                }
            }
        });
    }

    private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    /**
     * Reads a checkpoint of state type {@code type} and the array entries {@code arrays}; its arrays are made in
     * {@code manager}.
     *
     * @param formatVersion the format this VolSeg reads
     * @param versionOf     the format a state says it has
     * @throws VolumeFormatException naming the file and the entry that is missing, undecodable or of another format
     */
    public static <S> Contents<S> read(Path file, Class<S> type, List<String> arrays, NDManager manager,
            int formatVersion, ToIntFunction<S> versionOf) throws IOException {
        Map<String, Long> limits = new LinkedHashMap<>();
        limits.put(STATE, MAX_STATE_BYTES);
        arrays.forEach(name -> limits.put(name, MAX_ARRAY_BYTES));
        Map<String, byte[]> entries;
        try {
            entries = BoundedZip.read(file, limits, "training checkpoint", VolumeFormatException::new);
        } catch (ZipException | EOFException | IllegalArgumentException e) {
            throw new VolumeFormatException(file, "zip", "is not a complete training checkpoint (" + e.getMessage()
                    + ")", e);
        }
        for (String name : limits.keySet()) {
            if (entries.get(name) == null) {
                throw new VolumeFormatException(file, name, "is missing; a training checkpoint holds "
                        + String.join(", ", limits.keySet()));
            }
        }
        S state;
        try {
            state = JSON.readValue(entries.get(STATE), type);
        } catch (JsonProcessingException e) {
            throw new VolumeFormatException(file, STATE, "is not a valid training state (" + e.getOriginalMessage()
                    + ")", e);
        } catch (CharConversionException e) {
            // Jackson guesses UTF-16/32 from the first bytes and reports their bad characters this way
            throw new VolumeFormatException(file, STATE, "is not JSON text in UTF-8 (" + e.getMessage() + ")", e);
        }
        if (versionOf.applyAsInt(state) != formatVersion) {
            throw new VolumeFormatException(file, "format_version", "is " + versionOf.applyAsInt(state)
                    + "; this VolSeg reads training checkpoints of format " + formatVersion);
        }
        Map<String, NDList> decoded = new LinkedHashMap<>();
        try {
            for (String name : arrays) {
                decoded.put(name, decode(file, name, entries.get(name), manager));
            }
        } catch (IOException | RuntimeException e) {
            decoded.values().forEach(NDList::close);
            throw e;
        }
        return new Contents<>(state, decoded);
    }

    private static NDList decode(Path file, String entry, byte[] bytes, NDManager manager) throws IOException {
        if (bytes.length == 0) {
            return new NDList();
        }
        try {
            return NDList.decode(manager, bytes);
        } catch (RuntimeException e) {
            throw new VolumeFormatException(file, entry, "cannot be decoded as arrays (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Refuses a checkpoint written with other settings, naming the first that differs.
     *
     * @throws IllegalArgumentException naming the file, the setting and both values
     */
    public static <R extends Record> void requireSameSettings(Path file, R saved, R wanted) {
        for (RecordComponent component : wanted.getClass().getRecordComponents()) {
            Object before = value(component, saved);
            Object now = value(component, wanted);
            if (!Objects.equals(before, now)) {
                throw new IllegalArgumentException("the checkpoint " + file + " was written with "
                        + component.getName() + " = " + before + ", these settings have " + component.getName()
                        + " = " + now + RESUME_ADVICE);
            }
        }
    }

    private static Object value(RecordComponent component, Record settings) {
        try {
            return component.getAccessor().invoke(settings);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read setting " + component.getName(), e);
        }
    }
}

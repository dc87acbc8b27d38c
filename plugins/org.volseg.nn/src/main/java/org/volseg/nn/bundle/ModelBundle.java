package org.volseg.nn.bundle;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.volseg.core.io.AtomicFiles;
import org.volseg.nn.engine.OutOfMemoryException;

/**
 * One file a model travels in: a zip of {@code manifest.json} ({@link BundleManifest}) and {@code parameters.bin}
 * (the parameters in DJL's array encoding). Bundles are untrusted input: entries are read by their exact names
 * only (nothing is ever extracted to a path), sizes are bounded before reading, the parameters' checksum must
 * match the manifest, and a newer format is refused with a clear message.
 */
public final class ModelBundle {

    static final String MANIFEST = "manifest.json";
    static final String PARAMETERS = "parameters.bin";
    /** A TorchScript module in place of parameters, for models trained elsewhere. */
    static final String TORCHSCRIPT = "model.ts";
    /** The architecture name of a bundle that wraps a TorchScript module. */
    public static final String TORCHSCRIPT_ARCHITECTURE = "TORCHSCRIPT";

    /** Largest manifest read (it is a few kilobytes). */
    static final long MAX_MANIFEST_BYTES = 1 << 20;
    /** Largest parameter file read: 4 GiB is beyond any network VolSeg trains. */
    static final long MAX_PARAMETER_BYTES = 1L << 32;

    /** snake_case keys, as the manifest is read by people and by Python tools too. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * A bundle as read: its manifest and either the parameters of a VolSeg network or a TorchScript module.
     *
     * @param parameters  the network's parameters, null for a TorchScript bundle
     * @param torchScript the TorchScript module's bytes, null for a VolSeg network
     */
    public record Contents(BundleManifest manifest, NDList parameters, byte[] torchScript) {

        public boolean isTorchScript() {
            return torchScript != null;
        }
    }

    private ModelBundle() {
    }

    /** Writes a bundle (through a temporary file), filling in the parameters' checksum. */
    public static void write(Path file, BundleManifest manifest, NDList parameters) throws IOException {
        write(file, manifest, PARAMETERS, parameters.encode());
    }

    /**
     * Writes a bundle that wraps a TorchScript module (its manifest's architecture is {@link
     * #TORCHSCRIPT_ARCHITECTURE}), filling in the module's checksum.
     */
    public static void writeTorchScript(Path file, BundleManifest manifest, byte[] module) throws IOException {
        if (!TORCHSCRIPT_ARCHITECTURE.equals(manifest.architecture().get("name"))) {
            throw new IllegalArgumentException("a TorchScript bundle's architecture name is " + TORCHSCRIPT_ARCHITECTURE);
        }
        write(file, manifest, TORCHSCRIPT, module);
    }

    private static void write(Path file, BundleManifest manifest, String payloadEntry, byte[] encoded)
            throws IOException {
        BundleManifest complete = manifest.withChecksum(sha256(encoded));
        AtomicFiles.write(file, tmp -> {
            try (OutputStream raw = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(raw)) {
                zip.putNextEntry(new ZipEntry(MANIFEST));
                zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(complete));
                zip.closeEntry();
                zip.putNextEntry(new ZipEntry(payloadEntry));
                zip.write(encoded);
                zip.closeEntry();
            }
        });
    }

    /** Reads and checks a bundle; the parameters are created in {@code manager}. */
    public static Contents read(Path file, NDManager manager) throws IOException {
        byte[] manifestBytes;
        byte[] parameterBytes;
        byte[] torchScriptBytes;
        try {
            Map<String, byte[]> entries = BoundedZip.read(file, Map.of(MANIFEST, MAX_MANIFEST_BYTES, PARAMETERS,
                    MAX_PARAMETER_BYTES, TORCHSCRIPT, MAX_PARAMETER_BYTES), "bundle", BundleFormatException::new);
            manifestBytes = entries.get(MANIFEST);
            parameterBytes = entries.get(PARAMETERS);
            torchScriptBytes = entries.get(TORCHSCRIPT);
        } catch (NoSuchFileException e) {
            throw new BundleFormatException(file, "file", "does not exist", e);
        } catch (ZipException | java.io.EOFException | IllegalArgumentException e) {
            // ZipInputStream reports entry names that are not UTF-8 as IllegalArgumentException
            throw new BundleFormatException(file, "zip", "is not a complete zip file (" + e.getMessage() + ")", e);
        }
        if (manifestBytes == null) {
            throw new BundleFormatException(file, MANIFEST, "is missing; a VolSeg model bundle holds " + MANIFEST
                    + " and " + PARAMETERS + " (or " + TORCHSCRIPT + ")");
        }
        BundleManifest manifest;
        try {
            manifest = JSON.readValue(manifestBytes, BundleManifest.class);
        } catch (JsonProcessingException e) {
            throw new BundleFormatException(file, MANIFEST, "is not a valid manifest (" + e.getOriginalMessage()
                    + ")", e);
        } catch (CharConversionException e) {
            // Jackson guesses UTF-16/32 from the first bytes and reports their bad characters this way
            throw new BundleFormatException(file, MANIFEST, "is not JSON text in UTF-8 (" + e.getMessage() + ")", e);
        }
        if (manifest.formatVersion() > BundleManifest.FORMAT_VERSION) {
            throw new BundleFormatException(file, "format_version", "is " + manifest.formatVersion()
                    + "; this VolSeg reads bundles up to format " + BundleManifest.FORMAT_VERSION
                    + ": update VolSeg to use this model");
        }
        if (manifest.formatVersion() < 1) {
            throw new BundleFormatException(file, "format_version", "is " + manifest.formatVersion()
                    + "; expected 1 to " + BundleManifest.FORMAT_VERSION);
        }
        boolean torchScript = TORCHSCRIPT_ARCHITECTURE.equals(manifest.architecture().get("name"));
        String payloadEntry = torchScript ? TORCHSCRIPT : PARAMETERS;
        byte[] payload = torchScript ? torchScriptBytes : parameterBytes;
        if (payload == null) {
            throw new BundleFormatException(file, payloadEntry, "is missing; a VolSeg model bundle holds " + MANIFEST
                    + " and " + payloadEntry + (torchScript ? " for a TorchScript model" : ""));
        }
        String actual = sha256(payload);
        if (!actual.equals(manifest.parametersSha256())) {
            throw new BundleFormatException(file, payloadEntry, "has checksum " + actual + " but the manifest says "
                    + manifest.parametersSha256() + ": the file is damaged or was changed");
        }
        if (torchScript) {
            return new Contents(manifest, null, payload);
        }
        try {
            return new Contents(manifest, NDList.decode(manager, parameterBytes), null);
        } catch (RuntimeException e) {
            if (OutOfMemoryException.isOutOfMemory(e)) {
                throw e; // a full device, not a damaged file: the predictor's fall-back decides
            }
            throw new BundleFormatException(file, PARAMETERS, "cannot be decoded as parameters (" + e.getMessage()
                    + ")", e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}

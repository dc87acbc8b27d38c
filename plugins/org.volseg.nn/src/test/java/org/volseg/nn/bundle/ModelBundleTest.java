package org.volseg.nn.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.nn.engine.DjlContext;

class ModelBundleTest {

    @TempDir
    Path dir;

    private static BundleManifest manifest() {
        return new BundleManifest(1, Map.of("name", "fully-invres", "widths", List.of(8, 16, 32)),
                List.of("T1", "FLAIR"), Map.of(0, "background", 1, "tumour"),
                Map.of("normalisation", "z-score", "spacing_mm", List.of(1.0, 1.0, 1.0)), List.of(64, 64, 64),
                Map.of("volseg", "0.1.0", "seed", 42), Map.of("dice_tumour", 0.87), null);
    }

    @Test
    void roundTripKeepsManifestAndParameters() throws Exception {
        Path file = dir.resolve("model.volseg");
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                NDList parameters = new NDList(m.arange(24f).reshape(2, 3, 4), m.ones(new Shape(5)));
                ModelBundle.write(file, manifest(), parameters);
                ModelBundle.Contents read = ModelBundle.read(file, m);
                assertThat(read.manifest().labelNames()).isEqualTo(Map.of(0, "background", 1, "tumour"));
                assertThat(read.manifest().architecture().get("name")).isEqualTo("fully-invres");
                assertThat(read.manifest().parametersSha256()).hasSize(64);
                assertThat(read.parameters().get(0).getShape()).isEqualTo(new Shape(2, 3, 4));
                assertThat(read.parameters().get(0).toFloatArray()).isEqualTo(parameters.get(0).toFloatArray());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return null;
        });
        assertThat(new String(readEntry(file, ModelBundle.MANIFEST), StandardCharsets.UTF_8))
                .contains("\"format_version\" : 1", "\"label_names\"", "\"parameters_sha256\"");
    }

    private Path zip(String name, Map<String, byte[]> entries) throws Exception {
        Path file = dir.resolve(name);
        try (OutputStream raw = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(raw)) {
            for (var e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }

    @Test
    void aNewerFormatTamperedParametersAndBrokenFilesAreRefusedClearly() throws Exception {
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                Path good = dir.resolve("good.volseg");
                ModelBundle.write(good, manifest(), new NDList(m.ones(new Shape(3))));
                byte[] params = new NDList(m.ones(new Shape(3))).encode();
                String json = new String(readEntry(good, ModelBundle.MANIFEST), StandardCharsets.UTF_8);

                Path newer = zip("newer.volseg", Map.of(ModelBundle.MANIFEST, json.replace("\"format_version\" : 1",
                        "\"format_version\" : 7").getBytes(StandardCharsets.UTF_8), ModelBundle.PARAMETERS, params));
                assertThatThrownBy(() -> ModelBundle.read(newer, m)).isInstanceOf(BundleFormatException.class)
                        .hasMessage("newer.volseg: format_version: is 7; this VolSeg reads bundles up to format 1: "
                                + "update VolSeg to use this model");

                byte[] tampered = params.clone();
                tampered[tampered.length - 1] ^= 1;
                Path changed = zip("changed.volseg", Map.of(ModelBundle.MANIFEST, json.getBytes(StandardCharsets.UTF_8),
                        ModelBundle.PARAMETERS, tampered));
                assertThatThrownBy(() -> ModelBundle.read(changed, m)).hasMessageContaining(
                        "parameters.bin: has checksum").hasMessageContaining("damaged or was changed");

                Path slip = zip("slip.volseg", Map.of("../../evil.sh", new byte[] {1}, ModelBundle.MANIFEST,
                        json.getBytes(StandardCharsets.UTF_8), ModelBundle.PARAMETERS, params));
                assertThat(ModelBundle.read(slip, m).parameters()).hasSize(1);
                assertThat(dir.getParent().resolve("evil.sh")).doesNotExist();

                Path cut = dir.resolve("cut.volseg");
                byte[] all = Files.readAllBytes(good);
                Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
                assertThatThrownBy(() -> ModelBundle.read(cut, m)).isInstanceOf(BundleFormatException.class)
                        .hasMessageStartingWith("cut.volseg: ");

                // found by CI fuzzing: first bytes that make Jackson read UTF-32 (big-endian, then an odd order)
                for (byte[] utf32 : new byte[][] {{0, 0, 0, '{', 'A', 'Q', 0, 0}, {0, 0, (byte) 0xFF, (byte) 0xFE}}) {
                    Path wide = zip("wide.volseg", Map.of(ModelBundle.MANIFEST, utf32, ModelBundle.PARAMETERS, params));
                    assertThatThrownBy(() -> ModelBundle.read(wide, m)).isInstanceOf(BundleFormatException.class)
                            .hasMessageStartingWith("wide.volseg: manifest.json: is not JSON text in UTF-8 (");
                }

                Path text = Files.writeString(dir.resolve("notes.volseg"), "my model");
                assertThatThrownBy(() -> ModelBundle.read(text, m)).isInstanceOf(BundleFormatException.class)
                        .hasMessage("notes.volseg: file: is not a zip file, so not a VolSeg bundle");
                Path empty = Files.write(dir.resolve("empty-file.volseg"), new byte[0]);
                assertThatThrownBy(() -> ModelBundle.read(empty, m)).hasMessage("empty-file.volseg: file: is not a "
                        + "zip file, so not a VolSeg bundle");

                Path noParameters = zip("empty.volseg", Map.of(ModelBundle.MANIFEST,
                        json.getBytes(StandardCharsets.UTF_8)));
                assertThatThrownBy(() -> ModelBundle.read(noParameters, m)).hasMessage(
                        "empty.volseg: parameters.bin: is missing; a VolSeg model bundle holds manifest.json and "
                                + "parameters.bin");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
            return null;
        });
    }

    private static byte[] readEntry(Path file, String name) throws Exception {
        try (var zip = new java.util.zip.ZipFile(file.toFile())) {
            return zip.getInputStream(zip.getEntry(name)).readAllBytes();
        }
    }
}

package org.volseg.nn.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.core.io.VolumeFormatException;
import org.volseg.nn.engine.DjlContext;

class CheckpointFileTest {

    record State(int formatVersion, int epoch) {
    }

    @TempDir
    Path dir;

    @Test
    void stateAndArraysComeBackAsWritten() throws Exception {
        Path file = dir.resolve("run.ckpt");
        DjlContext.callIo(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                CheckpointFile.write(file, new State(1, 4), Map.of("weights", new NDList(m.arange(3f)),
                        "moments", new NDList()));
                try (var read = CheckpointFile.read(file, State.class, List.of("weights", "moments"), m, 1,
                        State::formatVersion)) {
                    assertThat(read.state()).isEqualTo(new State(1, 4));
                    assertThat(read.arrays().get("weights").singletonOrThrow().toFloatArray())
                            .containsExactly(0f, 1f, 2f);
                    assertThat(read.arrays().get("moments")).isEmpty();
                }
            }
            return null;
        });
    }

    @Test
    void aStateThatIsNotUtf8JsonIsRefusedNamingItsEntry() throws Exception {
        Path file = dir.resolve("wide.ckpt");
        DjlContext.callIo(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                byte[] weights = new NDList(m.ones(new Shape(2))).encode();
                try (OutputStream raw = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(raw)) {
                    // first bytes that make Jackson read UTF-32 and then fail on a character above U+10FFFF
                    zip.putNextEntry(new ZipEntry(CheckpointFile.STATE));
                    zip.write(new byte[] {0, 0, 0, '{', 'A', 'Q', 0, 0});
                    zip.putNextEntry(new ZipEntry("weights"));
                    zip.write(weights);
                }
                assertThatThrownBy(() -> CheckpointFile.read(file, State.class, List.of("weights"), m, 1,
                        State::formatVersion)).isInstanceOf(VolumeFormatException.class)
                        .hasMessageStartingWith("wide.ckpt: checkpoint.json: is not JSON text in UTF-8 (");
            }
            return null;
        });
    }
}

package org.volseg.nn.ossnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.Monitor;
import org.volseg.nn.engines.CheckpointFile;

/** An OSS-Net run cancelled and resumed from its checkpoint ends where the uninterrupted run ends. */
@org.junit.jupiter.api.extension.ExtendWith(org.volseg.nn.testing.OneIntraOpThread.class)
class OssNetCheckpointTest {

    private static final OssNetConfig.Preset TINY = new OssNetConfig.Preset("tiny", 1, List.of(1, 4, 8),
            List.of(4, 4, 4));
    private static final OssNetTraining.Settings SETTINGS = new OssNetTraining.Settings(3, 1, 64, 1e-2, true, 2,
            512, OssNetInference.Procedure.ENCODER_GUIDED, 7);

    @TempDir
    Path dir;

    private static List<OssNetTrainer.Case> cases() {
        return List.of(OssNetTrainerTest.ball(21, 0.5), OssNetTrainerTest.ball(22, 0.5));
    }

    /** Cancels at the first check after the progress message that starts with {@code after}. */
    private static Monitor cancelAfter(String after) {
        return new Monitor() {
            private boolean due;

            @Override
            public void progress(double fraction, String message) {
                due |= message.startsWith(after);
            }

            @Override
            public void checkCanceled() {
                if (due) {
                    throw new CancellationException("stop");
                }
            }
        };
    }

    private record Run(OssNetTraining.Result result, List<float[]> state) {
    }

    private static Run train(OssNetConfig config, long seed, OssNetTraining.Settings settings, Path checkpoint,
            Monitor monitor) throws IOException {
        return train(config, seed, settings, checkpoint, monitor, true);
    }

    private static Run train(OssNetConfig config, long seed, OssNetTraining.Settings settings, Path checkpoint,
            Monitor monitor, boolean validate) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            OssNet net = OssNet.build(config, m, seed);
            List<OssNetTrainer.Case> cases = cases();
            OssNetTraining.Result result = OssNetTraining.train(net, cases, validate ? List.of(cases.get(0))
                    : List.of(), settings, monitor, null, checkpoint);
            List<float[]> state = new ArrayList<>();
            try (NDList arrays = net.state(m)) {
                arrays.forEach(a -> state.add(a.toFloatArray()));
            }
            return new Run(result, state);
        }
    }

    @Test
    void aCancelledRunResumesFromItsLastEpochAndEndsAsTheStraightRun() throws IOException {
        OssNetConfig config = new OssNetConfig(OssNetConfig.Variant.C, TINY);
        Path checkpoint = dir.resolve("run.checkpoint");
        DjlContext.callIo(() -> {
            Run straight = train(config, 3, SETTINGS, null, Monitor.SILENT);
            assertThatThrownBy(() -> train(config, 3, SETTINGS, checkpoint, cancelAfter("epoch 3 of 3, step 1")))
                    .isInstanceOf(CancellationException.class);
            try (NDManager m = NDManager.newBaseManager(); CheckpointFile.Contents<OssNetTraining.State> saved =
                    CheckpointFile.read(checkpoint, OssNetTraining.State.class, List.of("parameters.bin",
                            "optimizer.bin", "best.bin"), m, OssNetTraining.FORMAT_VERSION,
                            OssNetTraining.State::formatVersion)) {
                assertThat(saved.state().history()).hasSize(2);
                assertThat(saved.state().bestEpoch()).isEqualTo(2);
                assertThat(saved.arrays().get("best.bin").stream().map(NDArray::getName)).isNotEmpty();
            }
            // another initialisation: everything the resumed run starts from comes from the checkpoint
            Run resumed = train(config, 99, SETTINGS, checkpoint, Monitor.SILENT);
            assertThat(resumed.result().history()).hasSize(3);
            for (int e = 0; e < 3; e++) {
                assertThat(resumed.result().history().get(e).trainLoss()).as("epoch %d", e + 1).isCloseTo(
                        straight.result().history().get(e).trainLoss(), within(1e-9));
            }
            assertThat(resumed.result().bestEpoch()).isEqualTo(straight.result().bestEpoch());
            assertThat(resumed.result().bestPointIou()).isEqualTo(straight.result().bestPointIou());
            assertThat(resumed.state()).hasSameSizeAs(straight.state());
            for (int i = 0; i < straight.state().size(); i++) {
                // isEqualTo compares arrays with Arrays.equals; containsExactly took seconds per million values
                assertThat(resumed.state().get(i)).as("array %d", i).isEqualTo(straight.state().get(i));
            }
            return null;
        });
    }

    @Test
    void aCheckpointOfOtherSettingsOrAnotherNetworkIsRefused() throws IOException {
        OssNetConfig config = new OssNetConfig(OssNetConfig.Variant.C, TINY);
        Path checkpoint = dir.resolve("other.checkpoint");
        OssNetTraining.Settings one = new OssNetTraining.Settings(1, 1, 64, 1e-2, false, 1, 256,
                OssNetInference.Procedure.DENSE, 7);
        DjlContext.callIo(() -> {
            train(config, 3, one, checkpoint, Monitor.SILENT, false);
            assertThatThrownBy(() -> train(config, 3, new OssNetTraining.Settings(1, 1, 64, 1e-3, false, 1, 256,
                    OssNetInference.Procedure.DENSE, 7), checkpoint, Monitor.SILENT, false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(checkpoint.toString())
                    .hasMessageContaining("learningRate = 0.01").hasMessageContaining("learningRate = 0.001");
            assertThatThrownBy(() -> train(new OssNetConfig(OssNetConfig.Variant.A, TINY), 3, one, checkpoint,
                    Monitor.SILENT, false)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(checkpoint.toString()).hasMessageContaining("was written for");
            return null;
        });
    }
}

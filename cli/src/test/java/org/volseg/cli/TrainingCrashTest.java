package org.volseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.networks.NetworkBundle;
import org.volseg.ops.api.Progress;
import org.volseg.ops.api.Table;
import org.volseg.ops.api.TableFiles;
import org.volseg.ops.phantoms.SyntheticPhantoms;

/**
 * Crash-safe training: the learner, run as {@code volseg segmenter-learner} in a child process, is killed with
 * SIGKILL at 20 random training steps and started again each time; every restart resumes from the last complete
 * checkpoint, and the final model equals an uninterrupted run's with the same seed.
 */
class TrainingCrashTest {

    private static final int EPOCHS = 10;
    private static final int STEPS = 5;
    private static final Pattern STEP = Pattern.compile("epoch (\\d+)/\\d+, step (\\d+)/\\d+");

    @TempDir
    Path dir;

    private List<String> learner(Path volumes, Path model) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-cp", System.getProperty(
                        "java.class.path"), VolSeg.class.getName(), "segmenter-learner", "--in", volumes.toString(),
                "--architecture", "partially-invres", "--widths", "4,8", "--blocks-per-level", "1", "--patch-size",
                "16", "--epochs", String.valueOf(EPOCHS), "--steps-per-epoch", String.valueOf(STEPS),
                "--validation-share", "0", "--seed", "3", "--model-file", model.toString(), "--out",
                model.resolveSibling("tables").toString());
    }

    /**
     * How a run ended: its exit code (137 when killed), the first epoch its progress showed (where it started or
     * resumed) and the epoch it was in when killed.
     */
    private record Outcome(int exit, int firstEpoch, int lastEpoch) {
    }

    /**
     * Runs the learner; with {@code killAtStep} &gt; 0, kills it (SIGKILL) as soon as its progress shows that global
     * step, or earlier if it finishes.
     */
    private static Outcome run(List<String> command, int killAtStep) throws Exception {
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        int first = 0;
        int last = 0;
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            for (String line = err.readLine(); line != null; line = err.readLine()) {
                Matcher m = STEP.matcher(line);
                if (!m.find()) {
                    continue;
                }
                last = Integer.parseInt(m.group(1));
                first = first == 0 ? last : first;
                if (killAtStep > 0 && (last - 1) * STEPS + Integer.parseInt(m.group(2)) >= killAtStep) {
                    process.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
                    break;
                }
            }
        }
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the learner ends").isTrue();
        return new Outcome(process.exitValue(), first, last);
    }

    private static List<float[]> parameters(Path bundle) {
        return DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                NDList named = NetworkBundle.read(bundle, m).network().namedParameters(false);
                List<float[]> out = new ArrayList<>();
                for (NDArray a : named) {
                    out.add(a.toFloatArray());
                }
                return out;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void twentyKillsLaterTheModelEqualsAnUninterruptedRun() throws Exception {
        Table phantoms = (Table) new SyntheticPhantoms().run(Map.of("count", "2", "size", "16", "seed", "9",
                "folder", dir.resolve("data").toString()), List.of(), Progress.silent()).get(0);
        Path volumes = dir.resolve("volumes.csv");
        TableFiles.write(phantoms, volumes);

        Path reference = dir.resolve("reference").resolve("model.volseg");
        assertThat(run(learner(volumes, reference), 0).exit()).isZero();

        Path model = dir.resolve("killed").resolve("model.volseg");
        Path checkpoint = model.resolveSibling("model.volseg.checkpoint");
        SplittableRandom random = new SplittableRandom(2026);
        int kills = 0;
        int target = 0;
        int killedIn = 1;
        while (kills < 20) {
            target += 1 + random.nextInt(2); // 1 or 2 steps further: kills land in every part of an epoch, 20 fit
            Outcome o = run(learner(volumes, model), target);
            assertThat(o.exit()).as("exit after a kill at step %d", target).isIn(0, 137);
            // it resumes where the last complete checkpoint (end of the epoch before the kill) left it; the epoch it
            // was in may have ended between the progress line and the kill
            assertThat(o.firstEpoch()).as("first epoch after a kill in epoch %d", killedIn).isIn(killedIn,
                    killedIn + 1);
            if (o.exit() == 0) {
                break;
            }
            kills++;
            killedIn = o.lastEpoch();
            assertThat(model).as("no model before training ends").doesNotExist();
            if (Files.exists(checkpoint)) {
                assertThat(Files.size(checkpoint)).isPositive();
            }
        }
        assertThat(kills).isEqualTo(20);
        assertThat(killedIn).as("twenty kills, and still the training went forward").isGreaterThan(3);
        Outcome last = run(learner(volumes, model), 0);
        assertThat(last.exit()).isZero();
        assertThat(last.firstEpoch()).isIn(killedIn, killedIn + 1);

        assertThat(checkpoint).doesNotExist();
        List<float[]> expected = parameters(reference);
        List<float[]> actual = parameters(model);
        assertThat(actual).hasSameSizeAs(expected);
        for (int p = 0; p < expected.size(); p++) {
            float[] e = expected.get(p);
            float[] a = actual.get(p);
            assertThat(a).hasSameSizeAs(e);
            for (int i = 0; i < e.length; i++) {
                assertThat((double) a[i]).as("parameter %d element %d", p, i).isCloseTo(e[i],
                        org.assertj.core.data.Offset.offset(1e-6));
            }
        }
        Table history = TableFiles.read(model.resolveSibling("tables").resolve("segmenter-learner-history.csv"),
                org.volseg.ops.api.HistoryTable.SPEC);
        assertThat(history.rows()).as("the resumed run's history has every epoch").hasSize(EPOCHS);
    }
}

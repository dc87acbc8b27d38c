package org.volseg.ops.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.core.io.NiftiReader;
import org.volseg.ops.api.ModelPort;
import org.volseg.ops.api.Operation;
import org.volseg.ops.api.PortData;
import org.volseg.ops.api.Progress;
import org.volseg.ops.api.Table;
import org.volseg.ops.learner.SegmenterLearner;
import org.volseg.ops.phantoms.SyntheticPhantoms;
import org.volseg.ops.predictor.SegmenterPredictor;

/**
 * Cancelling a long operation at a random moment stops it within 2 seconds, leaves no half-written file, and the
 * same operation then runs again cleanly (#9: the cancellation promise of docs/reliability.md). Each operation is
 * first run uncancelled to know how long it takes; cancel moments are drawn within that time (seeded).
 */
class CancellationTest {

    /** The promise: from the cancel request to the operation's return. */
    static final double LIMIT_SECONDS = 2.0;
    private static final int MOMENTS = 3;

    @TempDir
    static Path shared;
    private static Table phantoms;
    private static ModelPort model;

    @BeforeAll
    static void data() throws Exception {
        phantoms = (Table) new SyntheticPhantoms().run(Map.of("count", "3", "size", "32", "seed", "5", "folder",
                shared.resolve("phantoms").toString()), List.of(), Progress.silent()).get(0);
        model = (ModelPort) new SegmenterLearner().run(learner(shared.resolve("model.volseg")), List.of(phantoms),
                Progress.silent()).get(0);
    }

    private static Map<String, String> learner(Path file) {
        return Map.of("architecture", "fully-invres", "widths", "4,8", "blocks_per_level", "1", "patch_size", "16",
                "epochs", "3", "steps_per_epoch", "4", "validation_share", "0.34", "seed", "3", "model_file",
                file.toString());
    }

    /** A progress that cancels from a given moment on and remembers when it first refused. */
    private static final class CancelAt implements Progress {
        private final long at;

        CancelAt(long at) {
            this.at = at;
        }

        @Override
        public void report(double fraction, String message) {
        }

        @Override
        public void warn(String message) {
        }

        @Override
        public void checkCanceled() throws CanceledException {
            if (System.nanoTime() >= at) {
                throw new CanceledException();
            }
        }
    }

    /** One operation as the test runs it: settings for a fresh output folder, and its inputs. */
    private record Case(String name, Operation<?> operation, java.util.function.Function<Path, Map<String, String>>
            settings, List<PortData> inputs) {
    }

    private static List<Case> operations() {
        return List.of(
                new Case("Synthetic Phantoms", new SyntheticPhantoms(), out -> Map.of("count", "4", "size", "48",
                        "seed", "9", "folder", out.toString()), List.of()),
                new Case("Segmenter Learner", new SegmenterLearner(), out -> learner(out.resolve("m.volseg")),
                        List.of(phantoms)),
                new Case("Segmenter Predictor", new SegmenterPredictor(), out -> Map.of("output_folder",
                        out.toString(), "overlap", "0.75", "tta_flips", "x", "overwrite", "overwrite"),
                        List.of(model, phantoms)));
    }

    @Test
    void everyLongOperationStopsWithinTwoSecondsLeavesNoPartialFileAndRunsAgain(@TempDir Path dir)
            throws Exception {
        SplittableRandom random = new SplittableRandom(2026);
        List<String> figures = new ArrayList<>();
        for (Case c : operations()) {
            // the first run loads and compiles; the second tells how long the work itself takes
            c.operation().run(c.settings().apply(dir.resolve(c.name() + " warm-up")), c.inputs(), Progress.silent());
            long start = System.nanoTime();
            c.operation().run(c.settings().apply(dir.resolve(c.name() + " uncancelled")), c.inputs(),
                    Progress.silent());
            double full = (System.nanoTime() - start) / 1e9;
            int cancelled = 0;
            for (int k = 0; k < MOMENTS; k++) {
                double moment = random.nextDouble(0.05, 0.8) * full;
                Path out = dir.resolve(c.name() + " cancelled " + k);
                Files.createDirectories(out);
                long at = System.nanoTime() + (long) (moment * 1e9);
                boolean stopped;
                try {
                    c.operation().run(c.settings().apply(out), c.inputs(), new CancelAt(at));
                    stopped = false; // it finished before it looked again: nothing was left to cancel
                } catch (Progress.CanceledException e) {
                    stopped = true;
                }
                double latency = (System.nanoTime() - at) / 1e9;
                figures.add(String.format(java.util.Locale.ROOT, "%s: cancel at %.2f of %.2f s, %s after %.3f s",
                        c.name(), moment, full, stopped ? "stopped" : "had finished", latency));
                assertThat(latency).as(figures.get(figures.size() - 1)).isLessThanOrEqualTo(LIMIT_SECONDS);
                cancelled += stopped ? 1 : 0;
                assertNoPartialFiles(out);
                // and it runs again, into the same folder, to the end (the learner resumes from its checkpoint)
                c.operation().run(c.settings().apply(out), c.inputs(), Progress.silent());
                assertNoPartialFiles(out);
            }
            assertThat(cancelled).as("%s: cancels that found work to stop", c.name()).isPositive();
        }
        figures.forEach(System.out::println);
    }

    /** No temporary file is left, and every NIfTI file there reads completely. */
    static void assertNoPartialFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                assertThat(name).as("left in %s", folder).doesNotStartWith(".").doesNotEndWith(".part")
                        .doesNotContain("partial");
                if (name.endsWith(".nii.gz") || name.endsWith(".nii")) {
                    assertThat(NiftiReader.read(f).volume().geometry().voxels()).isPositive();
                }
            }
        }
    }
}

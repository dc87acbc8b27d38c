package org.volseg.ops.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.core.io.NiftiReader;
import org.volseg.nn.networks.NetworkBundle;
import org.volseg.ops.api.ModelPort;
import org.volseg.ops.api.Progress;
import org.volseg.ops.api.Table;
import org.volseg.ops.learner.SegmenterLearner;
import org.volseg.ops.phantoms.SyntheticPhantoms;
import org.volseg.ops.predictor.SegmenterPredictor;

/**
 * Two nodes running at once in one JVM, as KNIME runs parallel branches, share no mutable state, DJL managers or
 * random generators: two trainings and two predictions in parallel threads give exactly what they give one after
 * the other (#9: the concurrency promise of docs/reliability.md).
 */
class ConcurrencyTest {

    private static Map<String, String> learner(Path file, String seed, String architecture) {
        return Map.of("architecture", architecture, "widths", "4,8", "blocks_per_level", "1", "patch_size", "16",
                "epochs", "2", "steps_per_epoch", "3", "validation_share", "0.34", "seed", seed, "model_file",
                file.toString());
    }

    private static <T> List<T> inParallel(List<Callable<T>> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(work.size());
        try {
            List<Future<T>> futures = new ArrayList<>();
            work.forEach(w -> futures.add(pool.submit(w)));
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The checksum of a bundle's parameters: equal exactly when the trained weights are bit for bit equal. */
    private static String weights(ModelPort model) throws Exception {
        return NetworkBundle.check(model.bundle()).parametersSha256();
    }

    private static List<float[]> labelMaps(Table predictions) throws Exception {
        List<float[]> maps = new ArrayList<>();
        for (int r = 0; r < predictions.rows().size(); r++) {
            maps.add(NiftiReader.readLabels(Path.of((String) predictions.rows().get(r).get(predictions.spec()
                    .index("label")))).toFloats());
        }
        return maps;
    }

    @Test
    void twoTrainingsAndTwoPredictionsInParallelGiveWhatTheyGiveOneAfterTheOther(@TempDir Path dir)
            throws Exception {
        Table phantoms = (Table) new SyntheticPhantoms().run(Map.of("count", "3", "size", "24", "seed", "5",
                "folder", dir.resolve("phantoms").toString()), List.of(), Progress.silent()).get(0);
        List<Map<String, String>> trainings = List.of(
                learner(dir.resolve("a-seq.volseg"), "3", "unet3d"),
                learner(dir.resolve("b-seq.volseg"), "4", "fully-invres"));
        List<ModelPort> sequential = new ArrayList<>();
        for (Map<String, String> s : trainings) {
            sequential.add((ModelPort) new SegmenterLearner().run(s, List.of(phantoms), Progress.silent()).get(0));
        }
        List<ModelPort> parallel = inParallel(List.of(
                () -> (ModelPort) new SegmenterLearner().run(learner(dir.resolve("a-par.volseg"), "3", "unet3d"),
                        List.of(phantoms), Progress.silent()).get(0),
                () -> (ModelPort) new SegmenterLearner().run(learner(dir.resolve("b-par.volseg"), "4",
                        "fully-invres"), List.of(phantoms), Progress.silent()).get(0)));
        for (int i = 0; i < 2; i++) {
            assertThat(weights(parallel.get(i))).as("model %d", i).isEqualTo(weights(sequential.get(i)));
        }
        assertThat(weights(sequential.get(0))).isNotEqualTo(weights(sequential.get(1)));

        List<Table> one = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            one.add((Table) new SegmenterPredictor().run(Map.of("output_folder", dir.resolve("seq" + i).toString(),
                    "tta_flips", "x"), List.of(sequential.get(i), phantoms), Progress.silent()).get(0));
        }
        List<Table> both = inParallel(List.of(
                () -> (Table) new SegmenterPredictor().run(Map.of("output_folder", dir.resolve("par0").toString(),
                        "tta_flips", "x"), List.of(sequential.get(0), phantoms), Progress.silent()).get(0),
                () -> (Table) new SegmenterPredictor().run(Map.of("output_folder", dir.resolve("par1").toString(),
                        "tta_flips", "x"), List.of(sequential.get(1), phantoms), Progress.silent()).get(0)));
        for (int i = 0; i < 2; i++) {
            List<float[]> a = labelMaps(one.get(i));
            List<float[]> b = labelMaps(both.get(i));
            for (int c = 0; c < a.size(); c++) {
                assertThat(b.get(c)).as("model %d case %d", i, c).isEqualTo(a.get(c));
            }
        }
    }
}

package org.volseg.nn.ossnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;
import org.volseg.nn.engine.DjlContext;

/** OSS-Net's training step learns a sphere on a small grid, deterministically. */
@org.junit.jupiter.api.extension.ExtendWith(org.volseg.nn.testing.OneIntraOpThread.class)
class OssNetTrainerTest {

    private static final OssNetConfig.Preset TINY = new OssNetConfig.Preset("tiny", 1, List.of(1, 4, 8),
            List.of(4, 4, 4));

    /** A noisy bright ball (label 1) on a 28 × 30 × 26 grid. */
    static OssNetTrainer.Case ball(long seed, double borderShare) {
        return ball(seed, borderShare, false);
    }

    /** The ball, with {@code core} a brighter core of radius 3 as class 2. */
    static OssNetTrainer.Case ball(long seed, double borderShare, boolean core) {
        Geometry g = Geometry.of(28, 30, 26, 1, 1, 1);
        SplittableRandom r = new SplittableRandom(seed);
        double cx = 10 + r.nextDouble(8);
        double cy = 10 + r.nextDouble(8);
        double cz = 10 + r.nextDouble(6);
        Volume image = Volume.zeros(g, 1);
        int[] labels = new int[g.voxels()];
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    double d2 = Math.pow(x - cx, 2) + Math.pow(y - cy, 2) + Math.pow(z - cz, 2);
                    boolean inside = d2 < 49;
                    boolean inCore = core && d2 < 9;
                    labels[g.index(x, y, z)] = inCore ? 2 : inside ? 1 : 0;
                    image.set(0, x, y, z, (float) ((inCore ? 2 : inside ? 1 : -0.5) + 0.2 * r.nextGaussian()));
                }
            }
        }
        return OssNetTrainer.prepare(image, LabelMap.of(g, labels), TINY, borderShare, 6);
    }

    private static List<Double> train(OssNetConfig.Variant variant, int steps) {
        return train(variant, steps, false);
    }

    private static List<Double> train(OssNetConfig.Variant variant, int steps, boolean augment) {
        return train(variant, 1, steps, augment);
    }

    private static List<Double> train(OssNetConfig.Variant variant, int classes, int steps, boolean augment) {
        return DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                OssNet net = OssNet.build(new OssNetConfig(variant, TINY, classes), m, 7);
                List<OssNetTrainer.Case> cases = List.of(ball(1, 0.5, classes > 1), ball(2, 0.5, classes > 1));
                List<Double> losses = new ArrayList<>();
                try (OssNetTrainer trainer = new OssNetTrainer(net, 256)) {
                    SplittableRandom random = new SplittableRandom(11);
                    for (int s = 0; s < steps; s++) {
                        losses.add(trainer.step(cases, random, 3e-3, augment).total());
                    }
                }
                return losses;
            }
        });
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    @Test
    void theLossFallsOnASphereForTheSimplestAndTheFullestVariant() {
        for (OssNetConfig.Variant variant : List.of(OssNetConfig.Variant.A, OssNetConfig.Variant.D)) {
            List<Double> losses = train(variant, 30, variant == OssNetConfig.Variant.D);
            assertThat(mean(losses.subList(25, 30))).as("%s: %s", variant, losses)
                    .isLessThan(0.7 * mean(losses.subList(0, 5)));
        }
    }

    @Test
    void twoClassesLearnWithASigmoidEachAndAClassBeyondTheNetworksIsRefused() {
        List<Double> losses = train(OssNetConfig.Variant.C, 2, 30, false);
        assertThat(mean(losses.subList(25, 30))).as("%s", losses).isLessThan(0.7 * mean(losses.subList(0, 5)));
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager();
                    OssNetTrainer binary = new OssNetTrainer(OssNet.build(new OssNetConfig(OssNetConfig.Variant.A,
                            TINY), m, 7), 64)) {
                assertThatThrownBy(() -> binary.step(List.of(ball(1, 0, true)), new SplittableRandom(1), 1e-3, false))
                        .hasMessageContaining("class index 2").hasMessageContaining("classes 1 to 1");
            }
            return null;
        });
    }

    @Test
    void theClassOfAVoxelIsItsLargestPositiveLogit() {
        float[][] logits = {{-1, 2, 3, -0.5f}, {-2, 1, 4, -0.1f}};
        int[] classes = new int[4];
        for (int i = 0; i < 4; i++) {
            classes[i] = OssNetInference.classAt(logits, i);
        }
        assertThat(classes).containsExactly(0, 1, 2, 0);
        assertThat(new OssNetInference.Result(logits, 4, 0).occupied()).containsExactly(false, true, true, false);
    }

    @Test
    void aFlippedCaseShowsEachVoxelAtItsMirrorImageAndIntensityChangesStayInTheImage() {
        OssNetTrainer.Case c = ball(4, 0);
        Volume original = c.image();
        Geometry g = original.geometry();
        Volume flipped = new OssNetTrainer.Augmentation(true, true, null, false).apply(c, new SplittableRandom(1));
        for (int z = 0; z < g.nz(); z += 3) {
            for (int y = 0; y < g.ny(); y += 2) {
                for (int x = 0; x < g.nx(); x++) {
                    assertThat(flipped.get(0, g.nx() - 1 - x, g.ny() - 1 - y, z)).isEqualTo(original.get(0, x, y, z));
                }
            }
        }
        Volume shifted = new OssNetTrainer.Augmentation(false, false, new double[] {0.1}, true)
                .apply(c, new SplittableRandom(2));
        int[] box = c.box(); // 28 × 30 × 26 centred in 32³
        assertThat(box).containsExactly(2, 1, 3, 28, 30, 26);
        assertThat(shifted.get(0, 0, 5, 5)).isZero(); // padding
        assertThat(shifted.get(0, 31, 5, 5)).isZero();
        double difference = 0;
        for (int x = box[0]; x < box[0] + box[3]; x++) {
            difference += shifted.get(0, x, 10, 10) - original.get(0, x, 10, 10);
        }
        assertThat(difference / box[3]).isGreaterThan(0.02); // the shift, 0.1 · max, under noise
        assertThat(original.get(0, 2, 10, 10)).isNotEqualTo(shifted.get(0, 2, 10, 10));
    }

    @Test
    void theCheckpointedDecoderGivesPlainAutogradsGradientsAndMovesTheStatisticsOnce() {
        for (OssNetConfig config : List.of(new OssNetConfig(OssNetConfig.Variant.O_NET, TINY),
                new OssNetConfig(OssNetConfig.Variant.D, TINY), new OssNetConfig(OssNetConfig.Variant.C, TINY, 2))) {
            OssNetConfig.Variant variant = config.variant();
            DjlContext.call(() -> {
                try (NDManager m = NDManager.newBaseManager()) {
                    OssNet plain = OssNet.build(config, m, 7);
                    OssNet checkpointed = OssNet.build(config, m, 7);
                    boolean core = config.classes() > 1;
                    List<OssNetTrainer.Case> cases = List.of(ball(1, 0.5, core), ball(2, 0.5, core));
                    try (OssNetTrainer a = new OssNetTrainer(plain, 128, false);
                            OssNetTrainer b = new OssNetTrainer(checkpointed, 128, true)) {
                        OssNetTrainer.Losses la = a.step(cases, new SplittableRandom(3), 0, true);
                        OssNetTrainer.Losses lb = b.step(cases, new SplittableRandom(3), 0, true);
                        assertThat(lb.total()).isCloseTo(la.total(), org.assertj.core.data.Offset.offset(1e-5));
                        for (int i = 0; i < plain.parameters().size(); i++) {
                            float[] ga = plain.parameters().get(i).getGradient().toFloatArray();
                            float[] gb = checkpointed.parameters().get(i).getGradient().toFloatArray();
                            double scale = 1e-6;
                            for (float g : ga) {
                                scale = Math.max(scale, Math.abs(g));
                            }
                            for (int k = 0; k < ga.length; k++) {
                                assertThat((double) Math.abs(ga[k] - gb[k])).as("%s %s[%d]", variant,
                                        plain.parameters().get(i).getName(), k).isLessThan(1e-3 * scale + 1e-7); // biases before a norm: 0 up to noise
                            }
                        }
                        float[] sa = stats(plain, m);
                        assertThat(stats(checkpointed, m)).containsExactly(sa, org.assertj.core.data.Offset.offset(1e-5f));
                    }
                }
                return null;
            });
        }
    }

    /** Every running statistic of a network, in its state's order. */
    private static float[] stats(OssNet net, NDManager m) {
        List<Float> values = new ArrayList<>();
        for (ai.djl.ndarray.NDArray a : net.state(m)) {
            if (a.getName().startsWith("running:")) {
                for (float v : a.toFloatArray()) {
                    values.add(v);
                }
            }
        }
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    @Test
    void theSameSeedGivesTheSameLosses() {
        assertThat(train(OssNetConfig.Variant.C, 3)).isEqualTo(train(OssNetConfig.Variant.C, 3));
    }

    @Test
    void theGridIsThePresetsAndALargerImageIsRefused() {
        assertThat(OssNetTrainer.grid(OssNetConfig.Preset.BRATS)).containsExactly(256, 256, 160);
        assertThat(OssNetTrainer.grid(OssNetConfig.Preset.LITS)).containsExactly(512, 512, 512);
        assertThat(ball(3, 0).image().geometry().nx()).isEqualTo(32);
        Geometry big = Geometry.of(40, 10, 10, 1, 1, 1);
        assertThatThrownBy(() -> OssNetTrainer.prepare(Volume.zeros(big, 1), LabelMap.create(big, 1), TINY, 0, 6))
                .hasMessageContaining("40 × 10 × 10").hasMessageContaining("at most 32 × 32 × 32");
    }
}

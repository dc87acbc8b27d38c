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
                    boolean inside = Math.pow(x - cx, 2) + Math.pow(y - cy, 2) + Math.pow(z - cz, 2) < 49;
                    labels[g.index(x, y, z)] = inside ? 1 : 0;
                    image.set(0, x, y, z, (float) ((inside ? 1 : -0.5) + 0.2 * r.nextGaussian()));
                }
            }
        }
        return OssNetTrainer.prepare(image, LabelMap.of(g, labels), TINY, borderShare, 6);
    }

    private static List<Double> train(OssNetConfig.Variant variant, int steps) {
        return train(variant, steps, false);
    }

    private static List<Double> train(OssNetConfig.Variant variant, int steps, boolean augment) {
        return DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                OssNet net = OssNet.build(new OssNetConfig(variant, TINY), m, 7);
                List<OssNetTrainer.Case> cases = List.of(ball(1, 0.5), ball(2, 0.5));
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
        for (OssNetConfig.Variant variant : List.of(OssNetConfig.Variant.O_NET, OssNetConfig.Variant.D)) {
            DjlContext.call(() -> {
                try (NDManager m = NDManager.newBaseManager()) {
                    OssNet plain = OssNet.build(new OssNetConfig(variant, TINY), m, 7);
                    OssNet checkpointed = OssNet.build(new OssNetConfig(variant, TINY), m, 7);
                    List<OssNetTrainer.Case> cases = List.of(ball(1, 0.5), ball(2, 0.5));
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

package org.volseg.nn.ossnet;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.volseg.nn.engine.DjlContext;

/** OSS-Net's architecture against the reference: parameter counts exactly, and a forward and backward pass. */
class OssNetTest {

    /** A small preset for running the network in a test: 16³ input, two encoder blocks, a 4³ latent grid. */
    private static final OssNetConfig.Preset TINY = new OssNetConfig.Preset("tiny", 1, List.of(1, 4, 8),
            List.of(4, 4, 4));

    @ParameterizedTest
    @CsvSource({"O_NET, 6890753, 9057237", "A, 7245438, 9409177", "B, 7254358, 9409520", "C, 8695733, 10866490",
        "D, 8704653, 10866833"})
    void parameterCountsEqualTheReferences(OssNetConfig.Variant variant, long brats, long lits) {
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                assertThat(OssNet.build(new OssNetConfig(variant, OssNetConfig.Preset.BRATS), m, 1).parameterCount())
                        .as("%s BraTS", variant).isEqualTo(brats);
                assertThat(OssNet.build(new OssNetConfig(variant, OssNetConfig.Preset.LITS), m, 1).parameterCount())
                        .as("%s LiTS", variant).isEqualTo(lits);
            }
            return null;
        });
    }

    /** Shapes of every variant's outputs, with one class or (every other variant) two. */
    @Test
    void everyVariantPredictsALogitPerPointAndClass() {
        for (OssNetConfig.Variant variant : OssNetConfig.Variant.values()) {
            int classes = 1 + variant.ordinal() % 2;
            DjlContext.call(() -> {
                try (NDManager m = NDManager.newBaseManager()) {
                    OssNet net = OssNet.build(new OssNetConfig(variant, TINY, classes), m, 3);
                    int points = 10;
                    NDArray volume = m.randomNormal(new Shape(2, 1, 16, 16, 16));
                    NDArray coords = m.randomUniform(0, 31, new Shape(2, points, 3));
                    int channels = net.config().patchChannels();
                    NDArray patches = channels == 0 ? null : m.randomNormal(new Shape(2 * points, channels, 7, 7, 7));
                    for (boolean training : new boolean[] {true, false}) {
                        OssNet.Encoded e = net.encode(volume, training);
                        assertThat(e.latents().getShape()).isEqualTo(new Shape(2, variant.skipEncoder() ? 6 : 1, 64));
                        if (variant.skipEncoder()) {
                            assertThat(e.aux().getShape()).isEqualTo(new Shape(2, classes, 4, 4, 4));
                        }
                        NDArray logits = net.decode(e, coords, patches, training);
                        assertThat(logits.getShape()).isEqualTo(new Shape(2, points, classes));
                        assertThat(logits.isNaN().any().getBoolean()).as("%s", variant).isFalse();
                    }
                }
                return null;
            });
        }
    }

    @Test
    void theManifestMapRoundTripsAndAnOlderBundleWithoutClassesHasOne() {
        OssNetConfig two = new OssNetConfig(OssNetConfig.Variant.D, TINY, 2);
        assertThat(OssNetConfig.fromMap(two.toMap())).isEqualTo(two);
        java.util.Map<String, Object> older = new java.util.LinkedHashMap<>(two.toMap());
        older.remove("classes");
        assertThat(OssNetConfig.fromMap(older).classes()).isEqualTo(1);
        older.put("classes", 0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OssNetConfig.fromMap(older))
                .hasMessageContaining("at least one foreground class");
    }
}

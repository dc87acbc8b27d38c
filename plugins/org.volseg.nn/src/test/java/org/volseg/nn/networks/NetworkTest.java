package org.volseg.nn.networks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.volseg.core.sampling.PatchSize;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engines.Adam;
import org.volseg.nn.engines.Segment;
import org.volseg.nn.engines.SegmentTape;
import org.volseg.nn.invertible.ReversibleSequence;

/** Every architecture, with and without the VAE branch: shapes, invertibility, exact gradients, learning. */
class NetworkTest {

    private static final int SIZE = 16;

    static Stream<Arguments> architectures() {
        List<Arguments> all = new ArrayList<>();
        for (Architecture a : Architecture.values()) {
            all.add(Arguments.of(a, false));
            all.add(Arguments.of(a, true));
        }
        return all.stream();
    }

    static NetworkConfig config(Architecture architecture, boolean vae) {
        return new NetworkConfig(architecture, 2, 3, List.of(4, 8, 16), 2, NetworkConfig.Norm.INSTANCE,
                NetworkConfig.Activation.LEAKY_RELU, vae, PatchSize.cube(SIZE));
    }

    /** Two channels (a bright sphere and its square) in noise, with a 3-class one-hot target (shell, core). */
    static NDArray[] sphere(NDManager m, DataType type, long seed) {
        int n = SIZE * SIZE * SIZE;
        float[] image = new float[2 * n];
        float[] onehot = new float[3 * n];
        SplittableRandom random = new SplittableRandom(seed);
        for (int z = 0; z < SIZE; z++) {
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    int i = (z * SIZE + y) * SIZE + x;
                    double r2 = Math.pow(x - 7.5, 2) + Math.pow(y - 8.5, 2) + Math.pow(z - 7, 2);
                    int label = r2 < 9 ? 2 : r2 < 25 ? 1 : 0;
                    image[i] = label + 0.3f * (float) random.nextGaussian();
                    image[n + i] = image[i] * image[i];
                    onehot[label * n + i] = 1;
                }
            }
        }
        return new NDArray[] {m.create(image, new Shape(1, 2, SIZE, SIZE, SIZE)).toType(type, false),
            m.create(onehot, new Shape(1, 3, SIZE, SIZE, SIZE)).toType(type, false)};
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void predictsOneLogitPerClassAndVoxel(Architecture architecture, boolean vae) {
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                Network net = Network.build(config(architecture, vae), m, 1);
                NDArray logits = net.logits(sphere(m, DataType.FLOAT32, 1)[0]);
                assertThat(logits.getShape()).isEqualTo(new Shape(1, 3, SIZE, SIZE, SIZE));
                assertThat(net.parameters()).extracting(NDArray::getName).doesNotHaveDuplicates().doesNotContainNull();
                assertThat(net.predictingParameters().size() < net.parameters().size()).isEqualTo(vae);
            }
            return null;
        });
    }

    /**
     * The head split off (what the sliding window does in class-chunk stitching): its input has the top level's
     * width, and the head of each slab of it gives that slab of the logits. The strided U-Net has no such head.
     */
    @ParameterizedTest
    @MethodSource("architectures")
    void thePointwiseHeadOfAnySlabOfItsInputGivesThatSlabOfTheLogits(Architecture architecture, boolean vae) {
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                Network net = Network.build(config(architecture, vae), m, 1);
                NDArray image = sphere(m, DataType.FLOAT32, 1)[0];
                if (architecture == Architecture.STRIDED_UNET3D) {
                    assertThat(net.hasPointwiseHead()).isFalse();
                    assertThatThrownBy(() -> net.headInput(image)).hasMessageContaining("not pointwise");
                    return null;
                }
                assertThat(net.hasPointwiseHead()).isTrue();
                float[] logits = net.logits(image).toFloatArray();
                NDArray in = net.headInput(image);
                assertThat(in.getShape()).isEqualTo(new Shape(1, 4, SIZE, SIZE, SIZE));
                int area = SIZE * SIZE;
                for (int z0 = 0; z0 < SIZE; z0 += 5) {
                    int z1 = Math.min(SIZE, z0 + 5);
                    float[] slab = net.head(in.get(":, :, " + z0 + ":" + z1)).toFloatArray();
                    for (int k = 0; k < 3; k++) {
                        for (int j = 0; j < (z1 - z0) * area; j++) {
                            assertThat(slab[k * (z1 - z0) * area + j]).as("class %d, slab from %d", k, z0)
                                    .isCloseTo(logits[(k * SIZE + z0) * area + j], within(1e-5f));
                        }
                    }
                }
            }
            return null;
        });
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void everyReversibleSegmentInverts(Architecture architecture, boolean vae) {
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                Network net = Network.build(config(architecture, vae), m, 2);
                SplittableRandom random = new SplittableRandom(3);
                for (Segment s : net.tape().segments()) {
                    if (s instanceof Segment.Reversible r) {
                        List<NDArray> input = inputOf(r.chain(), m, random);
                        List<NDArray> back = r.chain().inverse(r.chain().forward(input, m), m);
                        assertThat(back).hasSameSizeAs(input);
                        for (int k = 0; k < input.size(); k++) {
                            double error = back.get(k).sub(input.get(k)).abs().max().getFloat();
                            assertThat(error).as("%s: ‖f⁻¹(f(x)) − x‖∞", architecture).isLessThan(1e-4);
                        }
                    }
                }
            }
            return null;
        });
    }

    /** A random input stack for a chain, found by running the chain's inverse from its output's shapes. */
    private static List<NDArray> inputOf(ReversibleSequence chain, NDManager m, SplittableRandom random) {
        // the networks' chains start either from one tensor (a level) or from the encoder's stack (the decoder):
        // probe with a full-width tensor first, then fall back to the stack the chain's inverse asks for
        for (int c : new int[] {4, 8, 16}) {
            for (int size : new int[] {SIZE, SIZE / 2, SIZE / 4}) {
                List<NDArray> candidate = List.of(random(m, random, new Shape(1, c, size, size, size)));
                try {
                    chain.forward(candidate, m);
                    return candidate;
                } catch (RuntimeException wrongShape) {
                    // not this one
                }
            }
        }
        // the decoder of Fully-InvRes + VAE: a skip code per level below the bottleneck
        List<NDArray> stack = new ArrayList<>();
        stack.add(random(m, random, new Shape(1, 3, SIZE, SIZE, SIZE)));
        stack.add(random(m, random, new Shape(1, 6, SIZE / 2, SIZE / 2, SIZE / 2)));
        stack.add(random(m, random, new Shape(1, 16, SIZE / 4, SIZE / 4, SIZE / 4)));
        return stack;
    }

    private static NDArray random(NDManager m, SplittableRandom random, Shape shape) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return m.create(values, shape);
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void theMemorySavingBackwardGivesAutogradsGradients(Architecture architecture, boolean vae) {
        for (DataType type : List.of(DataType.FLOAT64, DataType.FLOAT32)) {
            double tolerance = type == DataType.FLOAT64 ? 1e-8 : 1e-3;
            DjlContext.call(() -> {
                try (NDManager m = NDManager.newBaseManager()) {
                    Network net = Network.build(config(architecture, vae), m, 4, type);
                    NDArray[] data = sphere(m, type, 5);
                    double conventional = net.step(data[0], data[1], 9, SegmentTape.Backprop.CONVENTIONAL);
                    List<double[]> reference = new ArrayList<>();
                    for (NDArray p : net.parameters()) {
                        reference.add(p.getGradient().toType(DataType.FLOAT64, false).toDoubleArray());
                    }
                    double largest = reference.stream().flatMapToDouble(java.util.Arrays::stream).map(Math::abs)
                            .max().orElse(0);
                    net.parameters().forEach(org.volseg.nn.engine.GradMode::zeroGradient);
                    double reversible = net.step(data[0], data[1], 9, SegmentTape.Backprop.REVERSIBLE);
                    assertThat(reversible).isCloseTo(conventional, org.assertj.core.data.Offset.offset(1e-6));
                    for (int i = 0; i < reference.size(); i++) {
                        NDArray p = net.parameters().get(i);
                        double[] ours = p.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
                        double scale = java.util.Arrays.stream(reference.get(i)).map(Math::abs).max().orElse(0);
                        double worst = 0;
                        for (int k = 0; k < ours.length; k++) {
                            worst = Math.max(worst, Math.abs(ours[k] - reference.get(i)[k]));
                        }
                        // biases feeding an instance norm have no true gradient (the norm removes constants): both
                        // backwards give rounding noise there, so errors are relative to at least 1e-3 of the
                        // largest gradient of the network
                        assertThat(worst / Math.max(scale, 1e-3 * largest)).as("%s %s: relative error of %s", architecture, type,
                                p.getName()).isLessThan(tolerance);
                    }
                }
                return null;
            });
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Architecture.class)
    void featureTapsLeaveTheLogitsAndCarryExactGradients(Architecture architecture) {
        NetworkConfig config = new NetworkConfig(architecture, 2, 3, List.of(4, 8, 16, 32), 1,
                NetworkConfig.Norm.INSTANCE, NetworkConfig.Activation.LEAKY_RELU, false, PatchSize.cube(SIZE));
        assertThat(config.featureLevel()).isEqualTo(2);
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                DataType type = DataType.FLOAT64;
                Network plain = Network.build(config, m, 3, type);
                Network tapped = Network.withFeatureTaps(config, m, 3, type);
                NDArray x = sphere(m, type, 8)[0];
                Network.Features f = tapped.features(x);
                assertThat(f.logits().sub(plain.logits(x)).abs().max().getDouble()).isLessThan(1e-9);
                int width = architecture == Architecture.STRIDED_UNET3D ? config.levelWidths().get(1)
                        : config.levelWidths().get(2);
                assertThat(config.tapChannels()).isEqualTo(width);
                assertThat(f.shallow().getShape()).isEqualTo(new Shape(1, width, SIZE / 4, SIZE / 4, SIZE / 4));
                assertThat(f.deep().getShape()).isEqualTo(f.shallow().getShape());
                NDArray a = m.randomNormal(f.shallow().getShape()).toType(type, false);
                NDArray b = m.randomNormal(f.deep().getShape()).toType(type, false);
                SegmentTape.Loss loss = (outputs, taps) -> {
                    assertThat(taps.get(0).sub(f.shallow()).abs().max().getDouble()).isLessThan(1e-9);
                    assertThat(taps.get(1).sub(f.deep()).abs().max().getDouble()).isLessThan(1e-9);
                    return taps.get(0).mul(a).sum().add(taps.get(1).mul(b).sum())
                            .add(outputs.get(outputs.size() - 1).square().mean());
                };
                tapped.tape().step(List.of(x), loss, SegmentTape.Backprop.CONVENTIONAL);
                List<double[]> reference = new ArrayList<>();
                for (NDArray p : tapped.parameters()) {
                    reference.add(p.getGradient().toDoubleArray());
                }
                tapped.parameters().forEach(org.volseg.nn.engine.GradMode::zeroGradient);
                tapped.step(x, loss);
                double largest = reference.stream().flatMapToDouble(java.util.Arrays::stream).map(Math::abs)
                        .max().orElse(0);
                for (int i = 0; i < reference.size(); i++) {
                    double[] ours = tapped.parameters().get(i).getGradient().toDoubleArray();
                    for (int k = 0; k < ours.length; k++) {
                        assertThat(Math.abs(ours[k] - reference.get(i)[k]) / largest)
                                .as("%s %s", architecture, tapped.parameters().get(i).getName()).isLessThan(1e-8);
                    }
                }
            }
            return null;
        });
    }

    @Test
    void mobileBlocksHaveFarFewerParametersThanUNetBlocks() {
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                long unet = count(Network.build(NetworkConfig.of(Architecture.UNET3D, 1, 2, List.of(16, 32, 64, 128),
                        1, PatchSize.cube(16)), m, 1));
                long mobile = count(Network.build(NetworkConfig.of(Architecture.MOBILE_UNET3D, 1, 2,
                        List.of(16, 32, 64, 128), 1, PatchSize.cube(16)), m, 1));
                // per block of C channels: 2 · (27C² + C) + 2 · 2C (norms) for UNet3d; the inverted residual's
                // 1×1×1 convolutions (4C² + 4C each), depthwise 27 · 4C + 4C, norms 2 · (C + 4C + 4C)
                long unetBlocks = 0;
                long mobileBlocks = 0;
                for (int c : List.of(16, 32, 64, 128)) {
                    int blocks = c == 128 ? 1 : 2; // encoder and decoder, the bottom level only once
                    unetBlocks += blocks * (2L * (27L * c * c + c) + 4L * c);
                    mobileBlocks += blocks * (2L * (4L * c * c) + 4L * c + c + 27L * 4 * c + 4L * c + 2L * 9 * c);
                }
                assertThat(unet - mobile).isEqualTo(unetBlocks - mobileBlocks);
                assertThat((double) mobile / unet).isLessThan(0.2);
            }
            return null;
        });
    }

    private static long count(Network net) {
        return net.parameters().stream().mapToLong(p -> p.getShape().size()).sum();
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void aFewAdamStepsLowerTheLoss(Architecture architecture, boolean vae) {
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                Network net = Network.build(config(architecture, vae), m, 6);
                NDArray[] data = sphere(m, DataType.FLOAT32, 7);
                Adam adam = new Adam(net.parameters(), 0);
                double first = 0;
                double last = 0;
                for (int step = 0; step < 20; step++) {
                    last = net.step(data[0], data[1], step);
                    first = step == 0 ? last : first;
                    adam.step(1e-2);
                    net.parameters().forEach(org.volseg.nn.engine.GradMode::zeroGradient);
                }
                assertThat(last).as("%s vae=%s loss after 20 steps vs first", architecture, vae)
                        .isLessThan(0.8 * first);
            }
            return null;
        });
    }

    @Test
    void sameSeedSameWeightsAndTheConfigRoundTrips() {
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                Engine.getEngine("PyTorch").setRandomSeed(1);
                NetworkConfig config = config(Architecture.FULLY_INVRES, true);
                Network a = Network.build(config, m, 11);
                Engine.getEngine("PyTorch").setRandomSeed(2);
                Network b = Network.build(NetworkConfig.fromMap(config.toMap()), m, 11);
                for (int i = 0; i < a.parameters().size(); i++) {
                    assertThat(a.parameters().get(i).contentEquals(b.parameters().get(i))).isTrue();
                }
            }
            return null;
        });
    }

    @Test
    void fullyInvResWidthsFollowTheIUNetRule() {
        NetworkConfig config = NetworkConfig.of(Architecture.FULLY_INVRES, 4, 3, List.of(32, 64, 128, 256), 2,
                PatchSize.cube(64));
        assertThat(config.levelWidths()).containsExactly(32, 64, 128, 256);
        assertThat(config.skipChannels()).containsExactly(24, 48, 96);
        NetworkConfig odd = NetworkConfig.of(Architecture.FULLY_INVRES, 4, 3, List.of(16, 24, 48), 1,
                PatchSize.cube(64));
        assertThat(odd.levelWidths()).containsExactly(16, 24, 48);
    }

    @Test
    void badConfigsAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> NetworkConfig.of(Architecture.UNET3D, 1, 2, List.of(8, 16, 32), 1,
                PatchSize.of(16, 16, 10))).hasMessageContaining("patch size z is 10").hasMessageContaining("4");
        assertThatThrownBy(() -> NetworkConfig.of(Architecture.UNET3D, 1, 1, List.of(8), 1, PatchSize.cube(8)))
                .hasMessageContaining("classes is 1");
        assertThatThrownBy(() -> NetworkConfig.of(Architecture.PARTIALLY_INVRES, 1, 2, List.of(7), 1,
                PatchSize.cube(8))).hasMessageContaining("width is 7");
        assertThatThrownBy(() -> NetworkConfig.of(Architecture.UNET3D, 1, 2, List.of(8, 16, 32), 1,
                PatchSize.cube(12)).withVae(true)).hasMessageContaining("VAE");
    }
}

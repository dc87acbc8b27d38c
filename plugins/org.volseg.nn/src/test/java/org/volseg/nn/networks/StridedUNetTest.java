package org.volseg.nn.networks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.volseg.core.sampling.PatchSize;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.GradMode;

/** MONAI's UNet layout: its transposed convolution against the definition, its parameter count against MONAI's. */
class StridedUNetTest {

    @Test
    void transposedConvolutionFollowsItsDefinition() {
        int in = 2;
        int out = 3;
        int[] n = {3, 4, 5}; // unequal extents catch a swapped axis
        SplittableRandom random = new SplittableRandom(11);
        double[] x = new double[in * n[0] * n[1] * n[2]];
        double[] w = new double[out * in * 27];
        double[] b = {0.5, -1, 2};
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian();
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = random.nextGaussian();
        }
        // PyTorch's ConvTranspose3d(stride 2, padding 1, output_padding 1): input i with tap k lands on 2i + k − 1
        int[] m = {2 * n[0], 2 * n[1], 2 * n[2]};
        double[] expected = new double[out * m[0] * m[1] * m[2]];
        for (int o = 0; o < out; o++) {
            for (int v = 0; v < m[0] * m[1] * m[2]; v++) {
                expected[o * m[0] * m[1] * m[2] + v] = b[o];
            }
            for (int c = 0; c < in; c++) {
                for (int i0 = 0; i0 < n[0]; i0++) {
                    for (int i1 = 0; i1 < n[1]; i1++) {
                        for (int i2 = 0; i2 < n[2]; i2++) {
                            double value = x[((c * n[0] + i0) * n[1] + i1) * n[2] + i2];
                            for (int k = 0; k < 27; k++) {
                                int o0 = 2 * i0 + k / 9 - 1;
                                int o1 = 2 * i1 + k / 3 % 3 - 1;
                                int o2 = 2 * i2 + k % 3 - 1;
                                if (o0 < 0 || o1 < 0 || o2 < 0 || o0 >= m[0] || o1 >= m[1] || o2 >= m[2]) {
                                    continue;
                                }
                                expected[((o * m[0] + o0) * m[1] + o1) * m[2] + o2] += value * w[(o * in + c) * 27 + k];
                            }
                        }
                    }
                }
            }
        }
        DjlContext.call(() -> {
            try (NDManager manager = NDManager.newBaseManager()) {
                NDArray input = manager.create(x, new Shape(1, in, n[0], n[1], n[2]));
                NDArray weight = manager.create(w, new Shape(out, in, 3, 3, 3));
                NDArray bias = manager.create(b);
                NDArray y = GradMode.with(false, () -> Layers.transposedConv(input, weight, bias));
                assertThat(y.getShape()).isEqualTo(new Shape(1, out, m[0], m[1], m[2]));
                double[] actual = y.toDoubleArray();
                for (int i = 0; i < expected.length; i++) {
                    assertThat(actual[i]).as("output %d", i).isCloseTo(expected[i],
                            org.assertj.core.data.Offset.offset(1e-12));
                }
            }
            return null;
        });
    }

    @Test
    void monaisConfigurationHasMonaisParameterCount() {
        // MONAI 1.2 UNet(3, 1, 3, channels=(16, 32, 64, 128, 256), strides=(2, 2, 2, 2), num_res_units=2):
        // 4,807,482 parameters (instance norms without affine parameters, one PReLU slope per activation)
        NetworkConfig config = new NetworkConfig(Architecture.STRIDED_UNET3D, 1, 3, List.of(16, 32, 64, 128, 256), 2,
                NetworkConfig.Norm.INSTANCE, NetworkConfig.Activation.PRELU, false, PatchSize.cube(32));
        DjlContext.call(() -> {
            try (NDManager manager = NDManager.newBaseManager()) {
                Network net = Network.build(config, manager, 1);
                assertThat(net.parameters().stream().mapToLong(p -> p.getShape().size()).sum()).isEqualTo(4_807_482);
                NDArray logits = net.logits(manager.randomNormal(new Shape(1, 1, 32, 32, 32)));
                assertThat(logits.getShape()).isEqualTo(new Shape(1, 3, 32, 32, 32));
                assertThat(net.parameters()).extracting(NDArray::getName).doesNotHaveDuplicates();
            }
            return null;
        });
    }

    @Test
    void twoLevelsHaveNoTapsToGiveANetworkOfFeatures() {
        NetworkConfig config = new NetworkConfig(Architecture.STRIDED_UNET3D, 1, 2, List.of(8, 16), 1,
                NetworkConfig.Norm.INSTANCE, NetworkConfig.Activation.LEAKY_RELU, false, PatchSize.cube(16));
        DjlContext.call(() -> {
            try (NDManager manager = NDManager.newBaseManager()) {
                assertThat(Network.build(config, manager, 1).logits(manager.zeros(new Shape(1, 1, 16, 16, 16)))
                        .getShape()).isEqualTo(new Shape(1, 2, 16, 16, 16));
                assertThatThrownBy(() -> Network.withFeatureTaps(config, manager, 1))
                        .hasMessageContaining("3 or more levels");
            }
            return null;
        });
    }
}

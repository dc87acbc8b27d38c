package org.volseg.nn.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv3d;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Convolution's forward pass and both gradients against float64 convolution (not oneDNN), on the shapes whose
 * float32 input gradient PyTorch gets wrong; the float64 reference itself is checked by finite differences.
 */
class ConvolutionTest {

    private record Result(double[] y, double[] dx, double[] dw, double[] db) {
    }

    /** y = conv(x), then the gradients of Σ y·g. */
    private static Result run(NDManager m, long seed, int[] c, DataType type, boolean reference) {
        int n = c[0], in = c[1], out = c[2], size = c[3], k = c[4], stride = c[5], pad = c[6], groups = c[7];
        m.getEngine().setRandomSeed((int) seed);
        NDArray x = m.randomNormal(new Shape(n, in, size, size, size)).toType(type, false);
        NDArray w = m.randomNormal(new Shape(out, in / groups, k, k, k)).div(k * Math.sqrt(k)).toType(type, false);
        NDArray b = m.randomNormal(new Shape(out)).toType(type, false);
        x.setRequiresGradient(true);
        w.setRequiresGradient(true);
        b.setRequiresGradient(true);
        NDArray y = GradMode.with(true, () -> reference
                ? Conv3d.conv3d(x, w, b, new Shape(stride, stride, stride), new Shape(pad, pad, pad),
                        new Shape(1, 1, 1), groups).singletonOrThrow()
                : Convolution.conv3d(x, w, b, stride, pad, groups));
        NDArray g = m.randomNormal(y.getShape()).toType(type, false);
        GradMode.backward(y, g);
        return new Result(doubles(y), doubles(x.getGradient()), doubles(w.getGradient()), doubles(b.getGradient()));
    }

    private static double[] doubles(NDArray a) {
        return a.toType(DataType.FLOAT64, false).toDoubleArray();
    }

    private static void assertClose(double[] actual, double[] expected, String what) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat(Math.abs(actual[i] - expected[i])).as("%s[%d]: %s vs %s", what, i, actual[i], expected[i])
                    .isLessThanOrEqualTo(1e-4 * (1 + Math.abs(expected[i])));
        }
    }

    /**
     * Within 1e-4 · (1 + the largest |expected|): for weight and bias gradients, sums over every output voxel whose
     * float32 rounding follows the sum's terms, not an entry that cancels to near zero.
     */
    private static void assertCloseToScale(double[] actual, double[] expected, String what) {
        double scale = java.util.Arrays.stream(expected).map(Math::abs).max().orElse(0);
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat(Math.abs(actual[i] - expected[i])).as("%s[%d]: %s vs %s", what, i, actual[i], expected[i])
                    .isLessThanOrEqualTo(1e-4 * (1 + scale));
        }
    }

    @ParameterizedTest(name = "N {0}, {1} → {2} channels, {3}³, kernel {4}³, stride {5}, padding {6}, groups {7}")
    @CsvSource({
        "2, 2, 3, 6, 3, 1, 1, 1", // a batch (one sample at a time)
        "3, 4, 4, 5, 3, 1, 1, 4", // depthwise, batch
        "3, 2, 2, 7, 7, 1, 3, 1", // OSS-Net's patch convolution (matrix product)
        "1, 3, 2, 6, 5, 1, 2, 1", // OSS-Net's latent convolution on its grid (matrix product)
        "2, 2, 3, 9, 5, 1, 2, 1", // a large kernel on a larger volume (in pieces)
        "1, 2, 2, 4, 7, 1, 3, 1", // a kernel larger than the volume (matrix product)
        "2, 4, 4, 6, 5, 1, 2, 4", // grouped, large kernel, batch (in pieces)
        "1, 2, 3, 8, 4, 2, 1, 1", // the critic's strided 4³ (in pieces)
        "2, 2, 3, 9, 4, 2, 1, 1", // strided 4³ on an odd size, batch (in pieces)
        "2, 2, 3, 5, 1, 1, 0, 1", // 1³: the plain convolution
        "1, 3, 3, 8, 3, 1, 1, 1", // narrow (recorded: plain)
        "1, 1, 4, 6, 3, 1, 1, 1", // narrow, one channel in (recorded: plain)
        "1, 4, 2, 5, 3, 1, 1, 1", // narrow (recorded: plain)
        "1, 8, 4, 64, 3, 1, 1, 1", // oneDNN's input gradient with 4 output channels: filled up to 16
        "1, 32, 8, 32, 3, 1, 1, 1", // the same with 8 (95 % and 92 % of the elements wrong unfilled)
        "1, 24, 24, 32, 3, 1, 1, 1"}) // 24 in and out: both filled up
    void forwardAndGradientsMatchFloat64(int n, int in, int out, int size, int k, int stride, int pad, int groups) {
        int[] c = {n, in, out, size, k, stride, pad, groups};
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                Result actual = run(m, 5, c, DataType.FLOAT32, false);
                Result expected = run(m, 5, c, DataType.FLOAT64, true);
                assertClose(actual.y(), expected.y(), "y");
                assertClose(actual.dx(), expected.dx(), "dL/dx");
                assertCloseToScale(actual.dw(), expected.dw(), "dL/dw");
                assertCloseToScale(actual.db(), expected.db(), "dL/db");
            }
            return null;
        });
    }

    @Test
    void theFloat64ReferenceMatchesFiniteDifferences() {
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                int[] c = {2, 2, 2, 5, 5, 1, 2, 1};
                Result r = run(m, 9, c, DataType.FLOAT64, true);
                m.getEngine().setRandomSeed(9);
                NDArray x = m.randomNormal(new Shape(2, 2, 5, 5, 5)).toType(DataType.FLOAT64, false);
                NDArray w = m.randomNormal(new Shape(2, 2, 5, 5, 5)).div(5 * Math.sqrt(5)).toType(DataType.FLOAT64,
                        false);
                NDArray b = m.randomNormal(new Shape(2)).toType(DataType.FLOAT64, false);
                NDArray g = m.randomNormal(new Shape(2, 2, 5, 5, 5)).toType(DataType.FLOAT64, false);
                double[] values = x.toDoubleArray();
                for (int i : new int[] {0, 31, 62, 124, 125, 200, 249}) {
                    double[] loss = new double[2];
                    for (int side = 0; side < 2; side++) {
                        double[] shifted = values.clone();
                        shifted[i] += side == 0 ? 1e-5 : -1e-5;
                        NDArray xs = m.create(shifted, x.getShape());
                        loss[side] = Conv3d.conv3d(xs, w, b, new Shape(1, 1, 1), new Shape(2, 2, 2))
                                .singletonOrThrow().mul(g).sum().getDouble();
                    }
                    assertThat(r.dx()[i]).as("dL/dx[%d]", i).isCloseTo((loss[0] - loss[1]) / 2e-5,
                            org.assertj.core.data.Offset.offset(1e-6));
                }
            }
            return null;
        });
    }

    @Test
    void withoutRecordingTheMatrixFormMatchesThePlainConvolutionAndLargeVolumesArePlain() {
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray x = m.randomNormal(new Shape(3, 2, 7, 7, 7));
                NDArray w = m.randomNormal(new Shape(2, 2, 7, 7, 7)).div(20);
                NDArray plain = Conv3d.conv3d(x, w, null, new Shape(1, 1, 1), new Shape(3, 3, 3)).singletonOrThrow();
                double[] expected = plain.toType(DataType.FLOAT64, false).toDoubleArray();
                assertClose(Convolution.conv3d(x, w, null, 3).toType(DataType.FLOAT64, false).toDoubleArray(), expected,
                        "y");
                NDArray big = m.randomNormal(new Shape(1, 2, 16, 16, 16));
                NDArray w5 = m.randomNormal(new Shape(2, 2, 5, 5, 5));
                assertThat(Convolution.conv3d(big, w5, null, 2).toFloatArray()).containsExactly(Conv3d.conv3d(big, w5,
                        null, new Shape(1, 1, 1), new Shape(2, 2, 2)).singletonOrThrow().toFloatArray());
            }
            return null;
        });
    }

    /** The forms that serve prediction only: narrow convolutions as wide ones of blocks, samples made deeper. */
    @ParameterizedTest(name = "N {0}, {1} → {2} channels, {3}³")
    @CsvSource({
        "1, 3, 3, 16", // narrow: a wide convolution of 2×2×2 blocks
        "2, 1, 4, 12", // narrow, a batch
        "1, 3, 3, 96", // narrow at the strided U-Net's top
        "1, 4, 2, 9", // narrow but odd: plain
        "1, 32, 8, 24", // under PyTorch's oneDNN line: made deeper to cross it
        "1, 24, 8, 32", // oneDNN with 24 input channels: filled up to 32
        "2, 40, 4, 10"}) // a batch (oneDNN) with 40: filled up to 48
    void withoutRecordingTheFastFormsMatchFloat64(int n, int in, int out, int size) {
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                m.getEngine().setRandomSeed(3);
                NDArray x = m.randomNormal(new Shape(n, in, size, size, size));
                NDArray w = m.randomNormal(new Shape(out, in, 3, 3, 3)).div(5);
                NDArray b = m.randomNormal(new Shape(out));
                double[] expected = Conv3d.conv3d(x.toType(DataType.FLOAT64, false), w.toType(DataType.FLOAT64, false),
                        b.toType(DataType.FLOAT64, false), new Shape(1, 1, 1), new Shape(1, 1, 1)).singletonOrThrow()
                        .toDoubleArray();
                NDArray y = GradMode.with(false, () -> Convolution.conv3d(x, w, b, 1));
                assertThat(y.getShape()).isEqualTo(new Shape(n, out, size, size, size));
                assertClose(doubles(y), expected, "y");
            }
            return null;
        });
    }
}

package org.volseg.nn.ossnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.GradMode;

/** OSS-Net's building blocks against double-precision references (values, and gradients by finite differences). */
class OssNetBlocksTest {

    private static double[] random(SplittableRandom r, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian() * scale;
        }
        return v;
    }

    @Test
    void padeUnitValuesAndGradientsMatchTheFormula() {
        SplittableRandom r = new SplittableRandom(1);
        double[] xs = {-3.5, -1.2, -0.3, 0, 0.4, 1.7, 4.2};
        for (double[][] coefficients : new double[][][] {{PadeActivation.LEAKY_RELU_NUMERATOR,
            PadeActivation.LEAKY_RELU_DENOMINATOR}, {random(r, 6, 1), random(r, 4, 1)}}) {
            double[] a = coefficients[0];
            double[] b = coefficients[1];
            double[][] out = DjlContext.call(() -> {
                try (NDManager m = NDManager.newBaseManager()) {
                    NDArray x = m.create(xs);
                    NDArray num = m.create(a);
                    NDArray den = m.create(b);
                    for (NDArray p : new NDArray[] {x, num, den}) {
                        p.setRequiresGradient(true);
                    }
                    NDArray y = GradMode.with(true, () -> PadeActivation.apply(x, num, den));
                    GradMode.backward(GradMode.with(true, y::sum));
                    double[] inference = GradMode.with(false, () -> PadeActivation.apply(x, num, den)).toDoubleArray();
                    return new double[][] {y.toDoubleArray(), x.getGradient().toDoubleArray(),
                        num.getGradient().toDoubleArray(), den.getGradient().toDoubleArray(), inference};
                }
            });
            double h = 1e-6;
            for (int i = 0; i < xs.length; i++) {
                assertThat(out[0][i]).isCloseTo(PadeActivation.reference(xs[i], a, b), within(1e-12));
                assertThat(out[4][i]).as("without a graph").isCloseTo(out[0][i], within(1e-12));
                if (xs[i] != 0) { // |x| has no derivative at 0
                    double dx = (PadeActivation.reference(xs[i] + h, a, b) - PadeActivation.reference(xs[i] - h, a, b))
                            / (2 * h);
                    assertThat(out[1][i]).as("df/dx at %s", xs[i]).isCloseTo(dx, within(1e-6));
                }
            }
            for (int k = 0; k < 6; k++) {
                assertThat(out[2][k]).as("df/da%d", k).isCloseTo(sumOfPartials(xs, a, b, k, true, h), within(1e-5));
            }
            for (int k = 0; k < 4; k++) {
                if (Math.abs(b[k]) < 2 * h) {
                    continue; // |b| has a kink at 0: central differences across it mean nothing
                }
                assertThat(out[3][k]).as("df/db%d", k + 1).isCloseTo(sumOfPartials(xs, a, b, k, false, h),
                        within(1e-5));
            }
        }
        // the reference's fit of leaky ReLU: close to x for x > 0 and small for x < 0
        assertThat(PadeActivation.reference(2, PadeActivation.LEAKY_RELU_NUMERATOR,
                PadeActivation.LEAKY_RELU_DENOMINATOR)).isCloseTo(2, within(0.1));
        assertThat(Math.abs(PadeActivation.reference(-2, PadeActivation.LEAKY_RELU_NUMERATOR,
                PadeActivation.LEAKY_RELU_DENOMINATOR))).isLessThan(0.1);
    }

    /** d/dcoefficient of Σ_x f(x), by central differences. */
    private static double sumOfPartials(double[] xs, double[] a, double[] b, int k, boolean numerator, double h) {
        double[] up = (numerator ? a : b).clone();
        double[] down = up.clone();
        up[k] += h;
        down[k] -= h;
        double sum = 0;
        for (double x : xs) {
            sum += numerator ? PadeActivation.reference(x, up, b) - PadeActivation.reference(x, down, b)
                    : PadeActivation.reference(x, a, up) - PadeActivation.reference(x, a, down);
        }
        return sum / (2 * h);
    }

    @Test
    void conditionalBatchNormUsesOneMeanAndVarianceForTheWholeBatchAndLatentScales() {
        SplittableRandom r = new SplittableRandom(2);
        int points = 6;
        int features = 5;
        int latent = 3;
        double[] u = random(r, points * features, 2);
        double[] c = random(r, points * latent, 1);
        double[] gw = random(r, latent * features, 0.5);
        double[] gb = random(r, features, 0.5);
        double[] bw = random(r, latent * features, 0.5);
        double[] bb = random(r, features, 0.5);
        ConditionalBatchNorm.Running running = new ConditionalBatchNorm.Running();
        double[][] out = DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray uu = m.create(u, new Shape(points, features));
                NDArray cc = m.create(c, new Shape(points, latent));
                NDArray[] w = {m.create(gw, new Shape(latent, features)), m.create(gb), m.create(bw, new Shape(latent,
                        features)), m.create(bb)};
                double[] train = ConditionalBatchNorm.apply(uu, cc, w[0], w[1], w[2], w[3], running, true)
                        .toDoubleArray();
                double[] eval = ConditionalBatchNorm.apply(uu, cc, w[0], w[1], w[2], w[3], running, false)
                        .toDoubleArray();
                // two volumes of three points: their latents given once each equal them repeated per point
                NDArray perVolume = cc.get("0:2, :");
                NDArray perPoint = perVolume.repeat(0, 3);
                double[] grouped = ConditionalBatchNorm.apply(uu, perVolume, w[0], w[1], w[2], w[3],
                        new ConditionalBatchNorm.Running(), false).toDoubleArray();
                double[] repeated = ConditionalBatchNorm.apply(uu, perPoint, w[0], w[1], w[2], w[3],
                        new ConditionalBatchNorm.Running(), false).toDoubleArray();
                assertThat(grouped).containsExactly(repeated, within(1e-12));
                return new double[][] {train, eval};
            }
        });
        double mean = 0;
        for (double v : u) {
            mean += v;
        }
        mean /= u.length;
        double variance = 0;
        for (double v : u) {
            variance += (v - mean) * (v - mean);
        }
        variance /= u.length;
        double runningMean = 0.1 * mean;
        double runningVariance = 0.9 + 0.1 * variance * u.length / (u.length - 1);
        assertThat(running.mean()).isCloseTo(runningMean, within(1e-12));
        assertThat(running.variance()).isCloseTo(runningVariance, within(1e-12));
        for (int i = 0; i < points; i++) {
            for (int f = 0; f < features; f++) {
                double gamma = gb[f];
                double beta = bb[f];
                for (int l = 0; l < latent; l++) {
                    gamma += c[i * latent + l] * gw[l * features + f];
                    beta += c[i * latent + l] * bw[l * features + f];
                }
                double x = u[i * features + f];
                assertThat(out[0][i * features + f]).isCloseTo(gamma * (x - mean) / Math.sqrt(variance + 1e-5) + beta,
                        within(1e-9));
                assertThat(out[1][i * features + f]).isCloseTo(gamma * (x - runningMean) / Math.sqrt(runningVariance
                        + 1e-5) + beta, within(1e-9));
            }
        }
    }

    @Test
    void halvingIsTrilinearHalfwayAndResizingKeepsTheCorners() {
        SplittableRandom r = new SplittableRandom(3);
        int d = 4;
        int h = 6;
        int w = 8;
        double[] v = random(r, d * h * w, 1);
        double[][] out = DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray x = m.create(v, new Shape(1, 1, d, h, w));
                return new double[][] {Trilinear.half(x).toDoubleArray(), Trilinear.resize(x, 7, 3, 11)
                        .toDoubleArray()};
            }
        });
        // align_corners=False at ×0.5: output i samples source 2i + 0.5 on each axis, the mean of 2i and 2i + 1
        for (int z = 0; z < d / 2; z++) {
            for (int y = 0; y < h / 2; y++) {
                for (int x = 0; x < w / 2; x++) {
                    assertThat(out[0][(z * h / 2 + y) * w / 2 + x]).isCloseTo(sample(v, d, h, w, 2 * z + 0.5,
                            2 * y + 0.5, 2 * x + 0.5), within(1e-12));
                }
            }
        }
        // align_corners=True: output i samples source i · (n − 1) / (m − 1)
        for (int z = 0; z < 7; z++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 11; x++) {
                    assertThat(out[1][(z * 3 + y) * 11 + x]).isCloseTo(sample(v, d, h, w, z * (d - 1) / 6.0,
                            y * (h - 1) / 2.0, x * (w - 1) / 10.0), within(1e-6));
                }
            }
        }
        assertThatThrownBy(() -> DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                return Trilinear.half(m.zeros(new Shape(1, 1, 3, 4, 4)));
            }
        })).hasMessageContaining("even");
    }

    /** Trilinear interpolation at a (fractional) voxel position, in double precision. */
    private static double sample(double[] v, int d, int h, int w, double z, double y, double x) {
        double sum = 0;
        int z0 = (int) Math.floor(z);
        int y0 = (int) Math.floor(y);
        int x0 = (int) Math.floor(x);
        for (int dz = 0; dz < 2; dz++) {
            for (int dy = 0; dy < 2; dy++) {
                for (int dx = 0; dx < 2; dx++) {
                    double weight = (dz == 0 ? 1 - (z - z0) : z - z0) * (dy == 0 ? 1 - (y - y0) : y - y0)
                            * (dx == 0 ? 1 - (x - x0) : x - x0);
                    if (weight != 0) {
                        int zz = Math.min(z0 + dz, d - 1);
                        int yy = Math.min(y0 + dy, h - 1);
                        int xx = Math.min(x0 + dx, w - 1);
                        sum += weight * v[(zz * h + yy) * w + xx];
                    }
                }
            }
        }
        return sum;
    }
}

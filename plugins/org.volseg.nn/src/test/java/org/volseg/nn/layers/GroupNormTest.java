package org.volseg.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.volseg.nn.engine.DjlContext;

/** Group and instance normalisation against a float64 reference by hand and finite-difference gradients. */
class GroupNormTest {

    private static final int N = 2;
    private static final int C = 4;
    private static final int V = 3 * 2 * 2;

    private static double[] random(int size, long seed) {
        Random r = new Random(seed);
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = r.nextGaussian() * 3 + 1;
        }
        return v;
    }

    /** The definition, written out: per (sample, group), mean and biased variance over channels and voxels. */
    private static double[] reference(double[] x, int groups, double[] gamma, double[] beta, double eps) {
        double[] y = new double[x.length];
        int perGroup = C / groups * V;
        for (int n = 0; n < N; n++) {
            for (int g = 0; g < groups; g++) {
                int from = (n * C + g * (C / groups)) * V;
                double mean = 0;
                for (int i = 0; i < perGroup; i++) {
                    mean += x[from + i];
                }
                mean /= perGroup;
                double var = 0;
                for (int i = 0; i < perGroup; i++) {
                    var += (x[from + i] - mean) * (x[from + i] - mean);
                }
                var /= perGroup;
                for (int i = 0; i < perGroup; i++) {
                    int c = (from + i) / V % C;
                    y[from + i] = (x[from + i] - mean) / Math.sqrt(var + eps) * gamma[c] + beta[c];
                }
            }
        }
        return y;
    }

    @Test
    void matchesTheDefinitionForGroupsAndInstances() {
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                double[] x = random(N * C * V, 1);
                double[] gamma = {1.5, -0.5, 2, 1};
                double[] beta = {0.1, 0.2, -0.3, 0};
                NDArray input = m.create(x, new Shape(N, C, 3, 2, 2));
                for (int groups : new int[] {1, 2, 4}) {
                    double[] ours = GroupNorm.apply(input, groups, m.create(gamma), m.create(beta), 1e-5).toDoubleArray();
                    assertThat(ours).as(groups + " groups")
                            .containsExactly(reference(x, groups, gamma, beta, 1e-5), org.assertj.core.data.Offset.offset(1e-12));
                }
                assertThat(GroupNorm.instance(input, m.create(gamma), m.create(beta), 1e-5).toDoubleArray())
                        .containsExactly(reference(x, C, gamma, beta, 1e-5), org.assertj.core.data.Offset.offset(1e-12));
            }
            return null;
        });
    }

    @Test
    void inputGradientMatchesFiniteDifferences() {
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                double[] x = random(N * C * V, 2);
                double[] gamma = {1.5, -0.5, 2, 1};
                double[] beta = {0.1, 0.2, -0.3, 0};
                double[] weights = random(x.length, 3);
                // loss = sum(weights · groupnorm(x)), gradient by autograd
                NDArray input = m.create(x, new Shape(N, C, 3, 2, 2));
                input.setRequiresGradient(true);
                boolean before = JniUtils.isGradMode();
                JniUtils.setGradMode(true);
                NDArray loss = GroupNorm.apply(input, 2, m.create(gamma), m.create(beta), 1e-5)
                        .mul(m.create(weights, new Shape(N, C, 3, 2, 2))).sum();
                JniUtils.backward((PtNDArray) loss, (PtNDArray) m.ones(new Shape()).toType(DataType.FLOAT64, false),
                        false, false);
                JniUtils.setGradMode(before);
                double[] autograd = input.getGradient().toDoubleArray();
                double h = 1e-6;
                for (int i = 0; i < x.length; i += 7) {
                    double[] plus = x.clone();
                    double[] minus = x.clone();
                    plus[i] += h;
                    minus[i] -= h;
                    double numeric = (dot(weights, reference(plus, 2, gamma, beta, 1e-5))
                            - dot(weights, reference(minus, 2, gamma, beta, 1e-5))) / (2 * h);
                    assertThat(autograd[i]).as("d loss / d x[%d]", i).isCloseTo(numeric,
                            org.assertj.core.data.Offset.offset(1e-6 * Math.max(1, Math.abs(numeric))));
                }
            }
            return null;
        });
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}

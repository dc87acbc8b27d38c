package org.volseg.nn.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.GradMode;

/** The variation graph against a brute-force float64 reference, and its loss's gradients by finite differences. */
class GraphFlowTest {

    private static final int N = 2;
    private static final int C = 3;
    private static final int D = 4;
    private static final int H = 5;
    private static final int W = 6;

    /** Random features N × C × D × H × W; some channels peak at a border, so patches reach into the padding. */
    private static double[] features(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] f = new double[N * C * D * H * W];
        for (int i = 0; i < f.length; i++) {
            f[i] = random.nextGaussian();
        }
        f[index(0, 0, 0, 0, 0)] = 10; // corner
        f[index(1, 2, D - 1, 2, W - 1)] = 10; // far faces
        return f;
    }

    private static int index(int n, int c, int z, int y, int x) {
        return (((n * C + c) * D + z) * H + y) * W + x;
    }

    private static double at(double[] f, int n, int c, int z, int y, int x) {
        return z < 0 || y < 0 || x < 0 || z >= D || y >= H || x >= W ? 0 : f[index(n, c, z, y, x)];
    }

    /** V[n][c][·]: the k³ patch around the channel's maximum (of {@code locate}), by loops. */
    private static double[][][] referenceVertices(double[] f, double[] locate, int k) {
        int r = k / 2;
        double[][][] v = new double[N][C][k * k * k];
        for (int n = 0; n < N; n++) {
            for (int c = 0; c < C; c++) {
                int best = 0;
                for (int i = 1; i < D * H * W; i++) {
                    if (locate[(n * C + c) * D * H * W + i] > locate[(n * C + c) * D * H * W + best]) {
                        best = i;
                    }
                }
                int z = best / (H * W);
                int y = best / W % H;
                int x = best % W;
                int j = 0;
                for (int a = -r; a <= r; a++) {
                    for (int b = -r; b <= r; b++) {
                        for (int e = -r; e <= r; e++) {
                            v[n][c][j++] = at(f, n, c, z + a, y + b, x + e);
                        }
                    }
                }
            }
        }
        return v;
    }

    private static double[][][] referenceEdges(double[][][] v, GraphFlow.Similarity similarity) {
        double[][][] e = new double[N][C][C];
        for (int n = 0; n < N; n++) {
            for (int i = 0; i < C; i++) {
                for (int j = 0; j < C; j++) {
                    double[] a = v[n][i].clone();
                    double[] b = v[n][j].clone();
                    if (similarity == GraphFlow.Similarity.CORRELATION) {
                        centre(a);
                        centre(b);
                    }
                    double dot = 0;
                    double na = 0;
                    double nb = 0;
                    for (int q = 0; q < a.length; q++) {
                        dot += a[q] * b[q];
                        na += a[q] * a[q];
                        nb += b[q] * b[q];
                    }
                    e[n][i][j] = similarity == GraphFlow.Similarity.INNER_PRODUCT ? dot
                            : dot / (Math.sqrt(na + 1e-12) * Math.sqrt(nb + 1e-12));
                }
            }
        }
        return e;
    }

    private static void centre(double[] a) {
        double mean = java.util.Arrays.stream(a).average().orElse(0);
        for (int q = 0; q < a.length; q++) {
            a[q] -= mean;
        }
    }

    /** The loss by loops: Σ (ΔV_T − ΔV_S)² and Σ (ΔE_T − ΔE_S)². */
    private static double[] referenceLoss(double[] ss, double[] sd, double[] ts, double[] td,
            GraphFlow.Settings s) {
        double[][][][] student = referenceFlow(ss, sd, s);
        double[][][][] teacher = referenceFlow(ts, td, s);
        return new double[] {squaredDistance(student[0], teacher[0]), squaredDistance(student[1], teacher[1])};
    }

    /** Each sample divided by its root mean square (over channels and voxels), by loops. */
    private static double[] referenceNormalize(double[] f, GraphFlow.Normalization normalization) {
        if (normalization == GraphFlow.Normalization.NONE) {
            return f;
        }
        double[] out = f.clone();
        int perSample = C * D * H * W;
        for (int n = 0; n < N; n++) {
            double sum = 0;
            for (int i = 0; i < perSample; i++) {
                sum += f[n * perSample + i] * f[n * perSample + i];
            }
            double rms = Math.sqrt(sum / perSample + 1e-12);
            for (int i = 0; i < perSample; i++) {
                out[n * perSample + i] /= rms;
            }
        }
        return out;
    }

    private static double[][][][] referenceFlow(double[] rawShallow, double[] rawDeep, GraphFlow.Settings s) {
        double[] shallow = referenceNormalize(rawShallow, s.normalization());
        double[] deep = referenceNormalize(rawDeep, s.normalization());
        double[][][] vs = referenceVertices(shallow, shallow, s.patch());
        double[][][] vd = referenceVertices(deep, s.location() == GraphFlow.Location.SHALLOW ? shallow : deep,
                s.patch());
        double[][][] es = referenceEdges(vs, s.similarity());
        double[][][] ed = referenceEdges(vd, s.similarity());
        return new double[][][][] {difference(vd, vs), difference(ed, es)};
    }

    private static double[][][] difference(double[][][] a, double[][][] b) {
        double[][][] d = new double[a.length][][];
        for (int i = 0; i < a.length; i++) {
            d[i] = new double[a[i].length][];
            for (int j = 0; j < a[i].length; j++) {
                d[i][j] = new double[a[i][j].length];
                for (int k = 0; k < a[i][j].length; k++) {
                    d[i][j][k] = a[i][j][k] - b[i][j][k];
                }
            }
        }
        return d;
    }

    private static double squaredDistance(double[][][] a, double[][][] b) {
        double sum = 0;
        double[][][] d = difference(a, b);
        for (double[][] x : d) {
            for (double[] y : x) {
                for (double z : y) {
                    sum += z * z;
                }
            }
        }
        return sum;
    }

    private static NDArray tensor(NDManager m, double[] f) {
        return m.create(f, new Shape(N, C, D, H, W));
    }

    @ParameterizedTest
    @CsvSource({"1, PER_LAYER, COSINE, NONE", "3, PER_LAYER, COSINE, NONE", "3, SHALLOW, INNER_PRODUCT, NONE",
        "5, PER_LAYER, CORRELATION, NONE", "3, SHALLOW, CORRELATION, RMS", "3, PER_LAYER, INNER_PRODUCT, RMS"})
    void verticesEdgesAndLossMatchTheBruteForceReference(int k, GraphFlow.Location location,
            GraphFlow.Similarity similarity, GraphFlow.Normalization normalization) {
        GraphFlow.Settings settings = new GraphFlow.Settings(k, location, similarity, normalization);
        double[] ss = features(1);
        double[] sd = features(2);
        double[] ts = features(3);
        double[] td = features(4);
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray x = tensor(m, ss);
                NDArray vertices = GraphFlow.vertices(x, GraphFlow.maxima(x), k);
                assertThat(vertices.getShape()).isEqualTo(new Shape(N, C, (long) k * k * k));
                double[][][] v = referenceVertices(ss, ss, k);
                double[] ours = vertices.toDoubleArray();
                double[] edges = GraphFlow.edges(vertices, similarity).toDoubleArray();
                double[][][] e = referenceEdges(v, similarity);
                for (int n = 0; n < N; n++) {
                    for (int c = 0; c < C; c++) {
                        for (int q = 0; q < k * k * k; q++) {
                            assertThat(ours[(n * C + c) * k * k * k + q]).isEqualTo(v[n][c][q]);
                        }
                        for (int c2 = 0; c2 < C; c2++) {
                            assertThat(edges[(n * C + c) * C + c2]).isCloseTo(e[n][c][c2],
                                    org.assertj.core.data.Offset.offset(1e-12));
                        }
                    }
                }
                GraphFlow.Terms terms = GraphFlow.loss(x, tensor(m, sd), tensor(m, ts), tensor(m, td), settings);
                double[] expected = referenceLoss(ss, sd, ts, td, settings);
                assertThat(terms.vertex().getDouble()).isCloseTo(expected[0],
                        org.assertj.core.data.Offset.offset(1e-9 * Math.max(1, expected[0])));
                assertThat(terms.edge().getDouble()).isCloseTo(expected[1],
                        org.assertj.core.data.Offset.offset(1e-9 * Math.max(1, expected[1])));
            }
            return null;
        });
    }

    @ParameterizedTest
    @CsvSource({"3, PER_LAYER, COSINE, NONE, 1", "3, SHALLOW, CORRELATION, NONE, 1",
        "1, PER_LAYER, INNER_PRODUCT, NONE, 1", "3, PER_LAYER, COSINE, RMS, 1", "3, PER_LAYER, COSINE, RMS, 0",
        "3, SHALLOW, CORRELATION, NONE, 0"})
    void gradientsMatchFiniteDifferences(int k, GraphFlow.Location location, GraphFlow.Similarity similarity,
            GraphFlow.Normalization normalization, double vertexWeight) {
        GraphFlow.Settings settings = new GraphFlow.Settings(k, location, similarity, normalization);
        double[] ss = features(11);
        double[] sd = features(12);
        double[] ts = features(13);
        double[] td = features(14);
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray shallow = tensor(m, ss);
                NDArray deep = tensor(m, sd);
                shallow.setRequiresGradient(true);
                deep.setRequiresGradient(true);
                GraphFlow.Terms terms = GradMode.with(true, () -> GraphFlow.loss(shallow, deep, tensor(m, ts),
                        tensor(m, td), settings));
                // one backward for both terms: vertex + 0.37 · edge, the weights keeping them apart; with vertex
                // weight 0 the edge term alone, whose gradient the vertex term could otherwise hide
                NDArray total = GradMode.with(true, () -> terms.vertex().mul(m.create(vertexWeight).toType(
                        DataType.FLOAT64, false)).add(terms.edge().mul(m.create(0.37).toType(DataType.FLOAT64,
                                false))));
                GradMode.backward(total);
                double[] gShallow = GradMode.gradientOrNull(shallow).toDoubleArray();
                double[] gDeep = GradMode.gradientOrNull(deep).toDoubleArray();
                double h = 1e-6;
                // up to 25 entries inside patches (non-zero gradient) per tap, and 10 anywhere, mostly outside
                java.util.List<int[]> probes = new java.util.ArrayList<>();
                SplittableRandom random = new SplittableRandom(5);
                for (int side = 0; side < 2; side++) {
                    double[] g = side == 0 ? gShallow : gDeep;
                    int inside = 0;
                    for (int i = 0; i < g.length; i++) {
                        if (g[i] != 0 && inside++ < 25) {
                            probes.add(new int[] {side, i});
                        }
                    }
                    assertThat(inside).as("entries with a gradient").isGreaterThanOrEqualTo(N * C);
                    for (int q = 0; q < 10; q++) {
                        probes.add(new int[] {side, random.nextInt(g.length)});
                    }
                }
                int checked = 0;
                for (int[] probe : probes) {
                    boolean onShallow = probe[0] == 0;
                    int i = probe[1];
                    double analytic = (onShallow ? gShallow : gDeep)[i];
                    double[] base = onShallow ? ss : sd;
                    double[] plus = base.clone();
                    double[] minus = base.clone();
                    plus[i] += h;
                    minus[i] -= h;
                    double numeric = (value(m, onShallow ? plus : ss, onShallow ? sd : plus, ts, td, settings,
                            vertexWeight) - value(m, onShallow ? minus : ss, onShallow ? sd : minus, ts, td,
                                    settings, vertexWeight)) / (2 * h);
                    checked++;
                    assertThat(analytic).as("d/d%s[%d]", onShallow ? "shallow" : "deep", i)
                            .isCloseTo(numeric, org.assertj.core.data.Offset.offset(1e-5 * Math.max(1,
                                    Math.abs(numeric))));
                }
                assertThat(checked).isGreaterThanOrEqualTo(20);
            }
            return null;
        });
    }

    private static double value(NDManager m, double[] ss, double[] sd, double[] ts, double[] td,
            GraphFlow.Settings s, double vertexWeight) {
        GraphFlow.Terms t = GraphFlow.loss(tensor(m, ss), tensor(m, sd), tensor(m, ts), tensor(m, td), s);
        return vertexWeight * t.vertex().getDouble() + 0.37 * t.edge().getDouble();
    }

    @org.junit.jupiter.api.Test
    void evenOrHugePatchesAreRefused() {
        assertThatThrownBy(() -> new GraphFlow.Settings(4, GraphFlow.Location.PER_LAYER, GraphFlow.Similarity.COSINE,
                GraphFlow.Normalization.NONE))
                .hasMessageContaining("salience patch is 4 voxels");
    }
}

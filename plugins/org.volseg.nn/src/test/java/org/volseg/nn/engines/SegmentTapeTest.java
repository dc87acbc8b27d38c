package org.volseg.nn.engines;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.invertible.AdditiveCoupling;
import org.volseg.nn.invertible.HouseholderMixing;
import org.volseg.nn.invertible.InvertibleBlock;
import org.volseg.nn.invertible.ReversibleSequence;
import org.volseg.nn.losses.SegmentationLosses;

/** A plain stem, a reversible body and a plain head, trained through the segment tape. */
class SegmentTapeTest {

    private static final int SIZE = 16;

    private record Net(SegmentTape tape, List<Segment> segments) {
    }

    private static NDArray param(NDArray a) {
        a.setRequiresGradient(true);
        return a;
    }

    private static Net net(NDManager m, DataType type) {
        NDArray stemW = param(m.randomNormal(0, 0.3f, new Shape(4, 1, 3, 3, 3), DataType.FLOAT32).toType(type, false));
        NDArray stemB = param(m.zeros(new Shape(4), type));
        NDArray headW = param(m.randomNormal(0, 0.3f, new Shape(2, 4, 1, 1, 1), DataType.FLOAT32).toType(type, false));
        NDArray headB = param(m.zeros(new Shape(2), type));
        List<InvertibleBlock> body = List.of(new AdditiveCoupling(m, 4, type), new HouseholderMixing(m, 4, 4, type),
                new AdditiveCoupling(m, 4, type));
        List<Segment> segments = List.of(
                Segment.Plain.onTop(x -> {
                    NDArray c = Conv3d.conv3d(x, stemW, stemB, new Shape(1, 1, 1), new Shape(1, 1, 1))
                            .singletonOrThrow();
                    return ai.djl.nn.Activation.leakyRelu(c, 0.01f);
                }, List.of(stemW, stemB)),
                new Segment.Reversible(new ReversibleSequence(body)),
                Segment.Plain.onTop(x -> Conv3d.conv3d(x, headW, headB).singletonOrThrow(), List.of(headW, headB)));
        return new Net(new SegmentTape(segments), segments);
    }

    /** A bright sphere in noise, and its one-hot mask. */
    private static NDArray[] sphere(NDManager m, DataType type) {
        float[] image = new float[SIZE * SIZE * SIZE];
        float[] onehot = new float[2 * image.length];
        java.util.Random random = new java.util.Random(5);
        for (int z = 0; z < SIZE; z++) {
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    int i = (z * SIZE + y) * SIZE + x;
                    boolean inside = Math.pow(x - 7.5, 2) + Math.pow(y - 7.5, 2) + Math.pow(z - 7.5, 2) < 25;
                    image[i] = (inside ? 1f : 0f) + 0.2f * (float) random.nextGaussian();
                    onehot[(inside ? 1 : 0) * image.length + i] = 1;
                }
            }
        }
        return new NDArray[] {m.create(image, new Shape(1, 1, SIZE, SIZE, SIZE)).toType(type, false),
            m.create(onehot, new Shape(1, 2, SIZE, SIZE, SIZE)).toType(type, false)};
    }

    @Test
    void theTapesGradientsEqualPlainAutogradEndToEnd() {
        DjlContext.call(() -> {
            Engine.getEngine("PyTorch").setRandomSeed(21);
            try (NDManager m = NDManager.newBaseManager()) {
                Net net = net(m, DataType.FLOAT64);
                NDArray[] data = sphere(m, DataType.FLOAT64);
                // plain autograd through every segment as ordinary functions
                boolean before = JniUtils.isGradMode();
                JniUtils.setGradMode(true);
                NDArray h = data[0];
                for (Segment s : net.segments()) {
                    if (s instanceof Segment.Reversible r) {
                        for (InvertibleBlock b : r.chain().blocks()) {
                            h = b.forward(h);
                        }
                    } else {
                        h = ((Segment.Plain) s).function().apply(List.of(h)).get(0);
                    }
                }
                NDArray loss = SegmentationLosses.diceCrossEntropy(h, data[1]);
                JniUtils.backward((PtNDArray) loss, (PtNDArray) m.ones(new Shape()).toType(DataType.FLOAT64, false),
                        false, false);
                JniUtils.setGradMode(before);
                List<double[]> plain = new ArrayList<>();
                for (NDArray p : net.tape().parameters()) {
                    plain.add(p.getGradient().toDoubleArray());
                }
                net.tape().zeroGradients();

                double tapeLoss = net.tape().step(data[0], o -> SegmentationLosses.diceCrossEntropy(o, data[1]));

                assertThat(tapeLoss).isCloseTo(loss.getDouble(), org.assertj.core.data.Offset.offset(1e-12));
                List<NDArray> params = net.tape().parameters();
                for (int i = 0; i < params.size(); i++) {
                    double[] ours = params.get(i).getGradient().toDoubleArray();
                    double scale = java.util.Arrays.stream(plain.get(i)).map(Math::abs).max().orElse(0) + 1e-30;
                    for (int k = 0; k < ours.length; k++) {
                        assertThat(Math.abs(ours[k] - plain.get(i)[k]) / scale).as("parameter %d", i)
                                .isLessThan(1e-8);
                    }
                }
            }
            return null;
        });
    }

    @Test
    void aFewAdamStepsLearnTheSphere() {
        DjlContext.call(() -> {
            Engine.getEngine("PyTorch").setRandomSeed(8);
            try (NDManager m = NDManager.newBaseManager()) {
                Net net = net(m, DataType.FLOAT32);
                NDArray[] data = sphere(m, DataType.FLOAT32);
                Adam adam = new Adam(net.tape().parameters(), 0);
                double first = 0;
                double last = 0;
                for (int step = 0; step < 40; step++) {
                    net.tape().zeroGradients();
                    last = net.tape().step(data[0], o -> SegmentationLosses.diceCrossEntropy(o, data[1]));
                    if (step == 0) {
                        first = last;
                    }
                    adam.step(0.02);
                }
                assertThat(last).isLessThan(0.5 * first);
                NDArray predicted = net.tape().predict(data[0]).argMax(1);
                NDArray truth = data[1].argMax(1);
                double dice = 2.0 * predicted.mul(truth).sum().getLong()
                        / (predicted.sum().getLong() + truth.sum().getLong());
                assertThat(dice).as("foreground Dice after 40 steps").isGreaterThan(0.8);
            }
            return null;
        });
    }
}

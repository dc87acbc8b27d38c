package org.volseg.nn.invertible;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.volseg.nn.engine.DjlContext;

/** The reversible backward is exact: same input and parameter gradients as plain autograd through the chain. */
class ReversibleSequenceTest {

    private static ReversibleSequence chain(NDManager m, int channels, DataType type) {
        return new ReversibleSequence(List.of(new AdditiveCoupling(m, channels, type),
                new HouseholderMixing(m, channels, channels, type), new AdditiveCoupling(m, channels, type),
                new Squeeze(), new AdditiveCoupling(m, channels * 8, type),
                new HouseholderMixing(m, channels * 8, 4, type)));
    }

    private static double maxAbs(NDArray a) {
        return a.abs().max().toType(DataType.FLOAT64, false).getDouble();
    }

    @Test
    void everyBlockAndTheWholeChainInvert() {
        DjlContext.call(() -> {
            Engine.getEngine("PyTorch").setRandomSeed(7);
            try (NDManager m = NDManager.newBaseManager()) {
                ReversibleSequence seq = chain(m, 4, DataType.FLOAT32);
                NDArray x = m.randomNormal(new Shape(1, 4, 8, 8, 8));
                for (InvertibleBlock block : seq.blocks()) {
                    NDArray y = block.forward(x);
                    assertThat(maxAbs(block.inverse(y).sub(x))).as(block.getClass().getSimpleName())
                            .isLessThanOrEqualTo(1e-4);
                    x = y;
                }
                NDArray input = m.randomNormal(new Shape(2, 4, 8, 8, 8));
                assertThat(maxAbs(seq.inverse(seq.forward(input)).sub(input))).isLessThanOrEqualTo(1e-4);
            }
            return null;
        });
    }

    @Test
    void gradientsEqualPlainAutogradInFloat32() {
        assertThat(relativeGradientError(DataType.FLOAT32)).isLessThanOrEqualTo(1e-3);
    }

    @Test
    void gradientsEqualPlainAutogradInFloat64() {
        assertThat(relativeGradientError(DataType.FLOAT64)).isLessThanOrEqualTo(1e-8);
    }

    @Test
    void memoryStaysFlatOverManySteps() throws Exception {
        DjlContext.call(() -> {
            Engine.getEngine("PyTorch").setRandomSeed(3);
            try (NDManager m = NDManager.newBaseManager()) {
                ReversibleSequence seq = chain(m, 4, DataType.FLOAT32);
                NDArray x = m.randomNormal(new Shape(1, 4, 8, 8, 8));
                NDArray target = m.randomNormal(new Shape(1, 32, 4, 4, 4));
                // live native allocations (tensors, and the JVM's own malloc use, which breathes by a few MB while
                // the JIT works): warm up first, then take the lowest of several samples in three windows. A leak
                // raises that floor from window to window; a one-time allocation (a few MB, which on a loaded machine
                // came anywhere up to step ~1000) raises it once, so the floor must not rise across both gaps
                for (int warm = 0; warm < 300; warm++) {
                    NDArray out = seq.forward(x);
                    seq.backward(out, target).close();
                    out.close();
                    seq.zeroGradients();
                }
                long[] floor = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE}; // steps 100–300, 800–1000, 1700–1900
                for (int step = 1; step <= 1900; step++) {
                    NDArray out = seq.forward(x);
                    seq.backward(out, target).close();
                    out.close();
                    seq.zeroGradients();
                    int window = step >= 100 && step <= 300 ? 0 : step >= 800 && step <= 1000 ? 1
                            : step >= 1700 ? 2 : -1;
                    if (step % 25 == 0 && window >= 0) {
                        floor[window] = Math.min(floor[window], org.volseg.nn.testing.NativeMemory.bytes());
                    }
                }
                boolean risesEarly = floor[1] > floor[0] * 1.025;
                boolean risesLate = floor[2] > floor[1] * 1.025;
                assertThat(risesEarly && risesLate).as("native memory floor around steps 200, 900 and 1800: %s",
                        java.util.Arrays.toString(floor)).isFalse();
                assertThat(m.getManagedArrays()).as("arrays left in the caller's manager").hasSizeLessThan(40);
            }
            return null;
        });
    }


    /** A U-shaped chain: a skip code parked on the stack while the rest goes down and back up. */
    private static ReversibleSequence uChain(NDManager m, DataType type) {
        return new ReversibleSequence(List.of(new AdditiveCoupling(m, 4, type), new SkipSplit(2), new Squeeze(),
                new AdditiveCoupling(m, 16, type), new HouseholderMixing(m, 16, 4, type),
                new Inverted(new HouseholderMixing(m, 16, 4, type)), new Inverted(new Squeeze()), new SkipMerge(2),
                new HouseholderMixing(m, 4, 4, type), new AdditiveCoupling(m, 4, type)));
    }

    @Test
    void aUShapedChainsGradientsEqualAutograd() {
        DjlContext.call(() -> {
            Engine.getEngine("PyTorch").setRandomSeed(13);
            for (DataType type : List.of(DataType.FLOAT64, DataType.FLOAT32)) {
                try (NDManager m = NDManager.newBaseManager()) {
                    ReversibleSequence seq = uChain(m, type);
                    NDArray x = m.randomNormal(new Shape(1, 4, 8, 8, 8)).toType(type, false);
                    NDArray target = m.randomNormal(new Shape(1, 4, 8, 8, 8)).toType(type, false);
                    NDArray xPlain = x.duplicate();
                    xPlain.setRequiresGradient(true);
                    NDArray y = seq.forwardRecorded(List.of(xPlain)).get(0);
                    org.volseg.nn.engine.GradMode.backward(y, target);
                    assertThat(maxAbs(y.sub(seq.forward(x)))).as("recorded = unrecorded forward").isLessThan(1e-5);
                    NDArray plainInputGrad = xPlain.getGradient().duplicate();
                    List<NDArray> plainParamGrads = new ArrayList<>();
                    for (NDArray p : seq.parameters()) {
                        plainParamGrads.add(p.getGradient().duplicate());
                    }
                    seq.zeroGradients();
                    NDArray reversibleInputGrad = seq.backward(seq.forward(x), target);
                    double tolerance = type == DataType.FLOAT64 ? 1e-8 : 1e-3;
                    assertThat(maxAbs(reversibleInputGrad.sub(plainInputGrad)) / maxAbs(plainInputGrad))
                            .as("input gradient, %s", type).isLessThan(tolerance);
                    List<NDArray> params = seq.parameters();
                    for (int i = 0; i < params.size(); i++) {
                        double scale = Math.max(maxAbs(plainParamGrads.get(i)), 1e-30);
                        assertThat(maxAbs(params.get(i).getGradient().sub(plainParamGrads.get(i))) / scale)
                                .as("parameter %d, %s", i, type).isLessThan(tolerance);
                    }
                }
            }
            return null;
        });
    }

    /** max over input and parameters of max|reversible − plain| / max|plain|. */
    private static double relativeGradientError(DataType type) {
        return DjlContext.call(() -> {
            Engine.getEngine("PyTorch").setRandomSeed(11);
            try (NDManager m = NDManager.newBaseManager()) {
                ReversibleSequence seq = chain(m, 4, type);
                NDArray x = m.randomNormal(new Shape(1, 4, 8, 8, 8)).toType(type, false);
                NDArray target = m.randomNormal(new Shape(1, 32, 4, 4, 4)).toType(type, false);

                // plain autograd through the whole chain, loss = sum(y · target)
                NDArray xPlain = x.duplicate();
                xPlain.setRequiresGradient(true);
                boolean before = JniUtils.isGradMode();
                JniUtils.setGradMode(true);
                NDArray y = xPlain;
                for (InvertibleBlock b : seq.blocks()) {
                    y = b.forward(y);
                }
                NDArray loss = y.mul(target).sum();
                JniUtils.backward((PtNDArray) loss, (PtNDArray) m.ones(new Shape()).toType(type, false), false,
                        false);
                JniUtils.setGradMode(before);
                NDArray plainInputGrad = xPlain.getGradient().duplicate();
                List<NDArray> plainParamGrads = new ArrayList<>();
                for (NDArray p : seq.parameters()) {
                    plainParamGrads.add(p.getGradient().duplicate());
                }
                seq.zeroGradients();

                // reversible: forward keeps nothing, backward recomputes; dL/dy = target
                NDArray out = seq.forward(x);
                NDArray reversibleInputGrad = seq.backward(out, target);

                double error = maxAbs(reversibleInputGrad.sub(plainInputGrad)) / maxAbs(plainInputGrad);
                List<NDArray> params = seq.parameters();
                for (int i = 0; i < params.size(); i++) {
                    double scale = Math.max(maxAbs(plainParamGrads.get(i)), 1e-30);
                    error = Math.max(error, maxAbs(params.get(i).getGradient().sub(plainParamGrads.get(i))) / scale);
                }
                return error;
            }
        });
    }
}

package org.volseg.nn.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.volseg.nn.engine.DjlContext;

class SegmentationLossesTest {

    /** Two classes over 2 voxels: voxel 0 is class 1, voxel 1 is class 0. */
    private static final double[] ONE_HOT = {0, 1, 1, 0}; // [class][voxel]

    private static double eval(java.util.function.Function<NDManager, NDArray> f) {
        return DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                return f.apply(m).toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
            }
        });
    }

    private static NDArray oneHot(NDManager m) {
        return m.create(ONE_HOT, new Shape(1, 2, 1, 1, 2));
    }

    @Test
    void confidentCorrectLogitsGiveDiceNearOneAndCrossEntropyNearZero() {
        double[] logits = {-20, 20, 20, -20}; // class 1 wins at voxel 0, class 0 at voxel 1
        assertThat(eval(m -> SegmentationLosses.diceLoss(m.create(logits, new Shape(1, 2, 1, 1, 2)), oneHot(m),
                1))).isCloseTo(0, offset(1e-6));
        assertThat(eval(m -> SegmentationLosses.crossEntropy(m.create(logits, new Shape(1, 2, 1, 1, 2)),
                oneHot(m)))).isCloseTo(0, offset(1e-6));
    }

    @Test
    void uniformLogitsGiveTheTextbookValues() {
        double[] logits = {0, 0, 0, 0}; // p = 0.5 everywhere
        // class 1: intersection 0.5, Σp = 1, Σt = 1 → Dice 0.5 → loss 0.5; CE = ln 2
        assertThat(eval(m -> SegmentationLosses.diceLoss(m.create(logits, new Shape(1, 2, 1, 1, 2)), oneHot(m),
                1))).isCloseTo(0.5, offset(1e-5));
        assertThat(eval(m -> SegmentationLosses.crossEntropy(m.create(logits, new Shape(1, 2, 1, 1, 2)),
                oneHot(m)))).isCloseTo(Math.log(2), offset(1e-9));
        assertThat(eval(m -> SegmentationLosses.diceCrossEntropy(m.create(logits, new Shape(1, 2, 1, 1, 2)),
                oneHot(m)))).isCloseTo(0.5 + Math.log(2), offset(1e-5));
    }

    @Test
    void klOfTheStandardNormalIsZeroAndGrowsAwayFromIt() {
        assertThat(eval(m -> SegmentationLosses.gaussianKl(m.zeros(new Shape(3)), m.zeros(new Shape(3)))))
                .isCloseTo(0, offset(1e-12));
        // KL(N(1, 1) ‖ N(0, 1)) = 0.5
        assertThat(eval(m -> SegmentationLosses.gaussianKl(m.ones(new Shape(3)).toType(
                ai.djl.ndarray.types.DataType.FLOAT64, false), m.zeros(new Shape(3)))))
                .isCloseTo(0.5, offset(1e-12));
    }
}

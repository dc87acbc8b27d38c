package org.volseg.nn.inferers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.volseg.nn.engine.DjlContext;

class EnsemblePredictorTest {

    @Test
    void theSoftmaxOfItsLogitsIsTheMeanOfTheMembersProbabilities() {
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                m.getEngine().setRandomSeed(5);
                Shape shape = new Shape(2, 3, 4, 4, 4);
                NDArray a = m.randomNormal(0, 3, shape, ai.djl.ndarray.types.DataType.FLOAT32);
                NDArray b = m.randomNormal(0, 3, shape, ai.djl.ndarray.types.DataType.FLOAT32);
                // a member so certain that float32 rounds its other classes' probabilities to 0
                NDArray c = a.mul(100);
                NDArray patches = m.zeros(new Shape(2, 1, 4, 4, 4));
                EnsemblePredictor ensemble = new EnsemblePredictor(List.of(p -> a.duplicate(), p -> b.duplicate(),
                        p -> c.duplicate()));
                float[] got = ensemble.logits(patches).softmax(1).toFloatArray();
                float[] want = a.softmax(1).add(b.softmax(1)).add(c.softmax(1)).div(3).toFloatArray();
                assertThat(got).hasSize(want.length);
                for (int i = 0; i < want.length; i++) {
                    assertThat(got[i]).as("element %d", i).isCloseTo(want[i], within(1e-6f));
                }
                EnsemblePredictor certain = new EnsemblePredictor(List.of(p -> c.duplicate(), p -> c.duplicate()));
                assertThat(c.softmax(1).eq(0).any().getBoolean()).isTrue();
                assertThat(certain.logits(patches).isInfinite().any().getBoolean()).as("no −∞ logits").isFalse();
                assertThat(ensemble.models()).isEqualTo(3);
            }
            return null;
        });
    }

    @Test
    void oneMemberOrMembersOfOtherShapesAreRefused() {
        assertThatThrownBy(() -> new EnsemblePredictor(List.of(p -> p))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an ensemble needs two or more models; got 1");
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray patches = m.zeros(new Shape(1, 1, 4, 4, 4));
                EnsemblePredictor ensemble = new EnsemblePredictor(List.of(p -> m.zeros(new Shape(1, 3, 4, 4, 4)),
                        p -> m.zeros(new Shape(1, 2, 4, 4, 4))));
                assertThatThrownBy(() -> ensemble.logits(patches)).isInstanceOf(IllegalStateException.class)
                        .hasMessage("ensemble members gave logits of shapes (1, 3, 4, 4, 4) and (1, 2, 4, 4, 4) for "
                                + "the same windows");
            }
            return null;
        });
    }
}

package org.volseg.nn.inferers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.volseg.core.sampling.PatchSize;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.networks.Architecture;
import org.volseg.nn.networks.Network;
import org.volseg.nn.networks.NetworkConfig;

class EnsemblePredictorTest {

    @Test
    void theSoftmaxOfItsLogitsIsTheMeanOfTheMembersProbabilities() {
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                m.getEngine().setRandomSeed(5);
                Shape shape = new Shape(2, 3, 4, 4, 4);
                NDArray a = m.randomNormal(0, 3, shape, DataType.FLOAT32);
                NDArray b = m.randomNormal(0, 3, shape, DataType.FLOAT32);
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
    void membersWithPointwiseHeadsMakeAPointwiseHeadWhoseSlabsGiveThoseOfTheLogits() {
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                m.getEngine().setRandomSeed(7);
                int size = 16;
                PatchSize patch = PatchSize.cube(size);
                // top levels 4 and 6 wide: each member's head must get its own channels of the joint input
                Network narrow = Network.build(new NetworkConfig(Architecture.UNET3D, 2, 3, List.of(4, 8), 1,
                        NetworkConfig.Norm.INSTANCE, NetworkConfig.Activation.LEAKY_RELU, false, patch), m, 1);
                Network invertible = Network.build(new NetworkConfig(Architecture.PARTIALLY_INVRES, 2, 3,
                        List.of(6, 12), 1, NetworkConfig.Norm.INSTANCE, NetworkConfig.Activation.LEAKY_RELU, false,
                        patch), m, 2);
                List<PatchPredictor> members = List.of(PredictingModel.predictor(narrow),
                        PredictingModel.predictor(invertible));
                assertThat(new EnsemblePredictor(members).pointwiseHead()).as("not split unless asked").isNull();
                EnsemblePredictor ensemble = new EnsemblePredictor(members, new int[] {4, 6});
                NDArray patches = m.randomNormal(0, 1, new Shape(2, 2, size, size, size), DataType.FLOAT32);
                float[] logits = ensemble.logits(patches).toFloatArray();
                PatchPredictor.PointwiseHead split = ensemble.pointwiseHead();
                assertThat(split).isNotNull();
                NDArray in = split.headInput(patches);
                assertThat(in.getShape()).isEqualTo(new Shape(2, 4 + 6, size, size, size));
                int area = size * size;
                for (int z0 = 0; z0 < size; z0 += 5) {
                    int z1 = Math.min(size, z0 + 5);
                    float[] slab = split.head(in.get(":, :, " + z0 + ":" + z1)).toFloatArray();
                    int length = (z1 - z0) * area;
                    for (int bk = 0; bk < 2 * 3; bk++) {
                        for (int j = 0; j < length; j++) {
                            assertThat(slab[bk * length + j]).as("window and class %d, slab from %d", bk, z0)
                                    .isCloseTo(logits[(bk * size + z0) * area + j], within(1e-5f));
                        }
                    }
                }
                assertThatThrownBy(() -> split.head(in.get(":, 0:4"))).isInstanceOf(IllegalStateException.class)
                        .hasMessage("the ensemble's head was given 4 channels where its members' head inputs have 10");
                assertThatThrownBy(() -> new EnsemblePredictor(members, new int[] {6, 4}).pointwiseHead()
                        .headInput(patches)).isInstanceOf(IllegalStateException.class)
                        .hasMessage("ensemble member 1's head input has 4 channels, not the 6 it was made with");
                // a member that only gives logits cannot be split
                assertThatThrownBy(() -> new EnsemblePredictor(List.of(members.get(0), narrow::logits),
                        new int[] {4, 4})).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("every one with a pointwise head");
            }
            return null;
        });
    }

    @Test
    void anEnsembleIsSplitBeforeItsHeadsOnlyWhereThatHoldsLessThanItsLogits() {
        // side by side and one being made, Σ + max widths, against logits, their sum and a member's probabilities
        assertThat(EnsemblePredictor.splitHoldsLess(new int[] {32, 32, 32, 32, 32}, 64)).isFalse();
        assertThat(EnsemblePredictor.splitHoldsLess(new int[] {32, 32, 32, 32, 32}, 65)).isTrue();
        assertThat(EnsemblePredictor.splitHoldsLess(new int[] {16, 16}, 16)).isFalse();
        assertThat(EnsemblePredictor.splitHoldsLess(new int[] {16, 16}, 17)).isTrue();
        assertThat(EnsemblePredictor.splitHoldsLess(new int[] {8, 24}, 21)).isTrue(); // 32 + 24 < 63
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

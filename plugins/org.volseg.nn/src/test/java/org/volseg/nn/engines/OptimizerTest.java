package org.volseg.nn.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.GradMode;
import org.volseg.nn.engine.NamedArrays;

/** The optimizers against hand-computed updates, and their state round trip for exact resume. */
class OptimizerTest {

    /** The gradient of loss = Σ c·p is c, whatever p. */
    private static final double[] SLOPE = {0.5, 1.0};

    private static NDArray parameter(NDManager m, String name) {
        NDArray p = m.create(new double[] {1.0, -2.0});
        p.setName(name);
        p.setRequiresGradient(true);
        return p;
    }

    private static void backward(NDArray p) {
        NDArray c = p.getManager().create(SLOPE);
        NDArray loss = GradMode.with(true, () -> p.mul(c).sum());
        GradMode.backward(loss);
        loss.close();
        c.close();
    }

    private static double[] run(Function<List<NDArray>, Optimizer> make, int steps, double lr) {
        return DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager(); Optimizer o = make.apply(List.of(parameter(m, "p")))) {
                NDArray p = m.getManagedArrays().stream().map(a -> (NDArray) a)
                        .filter(a -> "p".equals(a.getName())).findFirst().orElseThrow();
                for (int s = 0; s < steps; s++) {
                    o.zeroGradients();
                    backward(p);
                    o.step(lr);
                }
                return p.toDoubleArray();
            }
        });
    }

    @Test
    void sgdNesterovMatchesHandComputedUpdates() {
        // g = c + 0.1·p; b = 0.9·b + g; p -= 0.1·(g + 0.9·b), three times from (1, −2)
        double[] p = run(params -> new SgdNesterov(params, 0.9, 0.1), 3, 0.1);
        assertThat(p[0]).isCloseTo(0.525363646, within(1e-12));
        assertThat(p[1]).isCloseTo(-2.632848472, within(1e-12));
    }

    @Test
    void adamWAndAdamWithL2MatchHandComputedUpdates() {
        double[] w = run(params -> Adam.decoupled(params, 0.1), 3, 0.1);
        assertThat(w[0]).isCloseTo(0.6732890059402004, within(1e-12));
        assertThat(w[1]).isCloseTo(-2.237607997029899, within(1e-12));
        double[] l2 = run(params -> Adam.withL2(params, 0.1), 3, 0.1);
        assertThat(l2[0]).isCloseTo(0.7001745748141188, within(1e-12));
        assertThat(l2[1]).isCloseTo(-2.299872009451411, within(1e-12));
    }

    @Test
    void theFactoryMakesEachKind() {
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                List<NDArray> params = List.of(parameter(m, "p"));
                for (Optimizer.Kind kind : Optimizer.Kind.values()) {
                    try (Optimizer o = Optimizer.create(kind, params, 0)) {
                        assertThat(o).isInstanceOf(kind == Optimizer.Kind.SGD_NESTEROV ? SgdNesterov.class
                                : Adam.class);
                    }
                }
            }
            return null;
        });
    }

    /** Three steps, state saved (encoded as a checkpoint does), loaded into a fresh optimizer, two more steps. */
    private static void roundTrip(Function<List<NDArray>, Optimizer> make) {
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray straight = parameter(m, "w");
                NDArray resumed = parameter(m, "w");
                byte[] saved;
                try (Optimizer o = make.apply(List.of(straight))) {
                    for (int s = 0; s < 5; s++) {
                        o.zeroGradients();
                        backward(straight);
                        o.step(0.05);
                        if (s == 2) {
                            try (NDList state = o.state()) {
                                saved = state.encode();
                            }
                            NamedArrays.copyInto(resumed, straight);
                            continueFrom(make, resumed, saved);
                        }
                    }
                }
                assertThat(resumed.toDoubleArray()).containsExactly(straight.toDoubleArray());
            }
            return null;
        });
    }

    private static void continueFrom(Function<List<NDArray>, Optimizer> make, NDArray p, byte[] saved) {
        try (Optimizer o = make.apply(List.of(p)); NDList state = NDList.decode(p.getManager(), saved)) {
            o.load(state);
            for (int s = 3; s < 5; s++) {
                o.zeroGradients();
                backward(p);
                o.step(0.05);
            }
        }
    }

    @Test
    void sgdStateRoundTripResumesExactly() {
        roundTrip(params -> new SgdNesterov(params, 0.99, 3e-5));
    }

    @Test
    void adamStateRoundTripResumesExactly() {
        roundTrip(params -> Adam.decoupled(params, 0.01));
        roundTrip(params -> Adam.withL2(params, 0.01));
    }

    @Test
    void stateCarriesTheStepCountAndNamedMoments() {
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray p = parameter(m, "conv.weight");
                try (Adam adam = Adam.decoupled(List.of(p), 0)) {
                    backward(p);
                    adam.step(0.1);
                    adam.step(0.1);
                    try (NDList state = adam.state()) {
                        assertThat(state.stream().map(NDArray::getName))
                                .containsExactly("step", "m:conv.weight", "v:conv.weight");
                        assertThat(state.get(0).toLongArray()).containsExactly(2L);
                    }
                }
            }
            return null;
        });
    }

    @Test
    void aStateOfOtherParametersIsRefusedAndChangesNothing() {
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray a = parameter(m, "a");
                NDArray b = parameter(m, "b");
                NDArray wide = m.zeros(new ai.djl.ndarray.types.Shape(3), DataType.FLOAT64);
                wide.setName("a");
                wide.setRequiresGradient(true);
                try (SgdNesterov sgdA = new SgdNesterov(List.of(a), 0); SgdNesterov sgdB = new SgdNesterov(List.of(b), 0);
                        SgdNesterov sgdWide = new SgdNesterov(List.of(wide), 0);
                        Adam adamA = Adam.decoupled(List.of(a), 0)) {
                    backward(a);
                    sgdA.step(0.1);
                    try (NDList state = sgdA.state()) {
                        assertThatThrownBy(() -> sgdB.load(state)).isInstanceOf(IllegalArgumentException.class)
                                .hasMessageContaining("momentum:b");
                        assertThatThrownBy(() -> sgdWide.load(state)).isInstanceOf(IllegalArgumentException.class)
                                .hasMessageContaining("momentum:a").hasMessageContaining("(3)");
                        assertThatThrownBy(() -> adamA.load(state)).isInstanceOf(IllegalArgumentException.class)
                                .hasMessageContaining("m:a");
                        assertThat(sgdB.steps()).isZero();
                    }
                }
            }
            return null;
        });
    }

    @Test
    void duplicateParameterNamesAreRefused() {
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                List<NDArray> params = List.of(parameter(m, "x"), parameter(m, "x"));
                assertThatThrownBy(() -> new SgdNesterov(params, 0)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("'x'");
            }
            return null;
        });
    }
}

package org.volseg.nn.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.GradMode;

/** RAdam and Lookahead (OSS-Net's optimiser) against double-precision references of torch_optimizer's updates. */
class RAdamLookaheadTest {

    private static final int STEPS = 12;

    /** The gradient of loss = Σ c_i·p_i² / 2 is c_i·p_i: it changes with p, so every step matters. */
    private static final double[] CURVATURE = {0.5, 2.0};

    private static double[] run(Function<List<NDArray>, Optimizer> make, double lr, int steps) {
        return DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray p = m.create(new double[] {1.0, -2.0});
                p.setName("p");
                p.setRequiresGradient(true);
                try (Optimizer o = make.apply(List.of(p))) {
                    for (int s = 0; s < steps; s++) {
                        o.zeroGradients();
                        NDArray c = m.create(CURVATURE);
                        NDArray loss = GradMode.with(true, () -> p.square().mul(c).sum().div(2));
                        GradMode.backward(loss);
                        o.step(lr);
                    }
                    return p.toDoubleArray();
                }
            }
        });
    }

    /** torch_optimizer's RAdam on one coordinate, loss c·p²/2, in double precision. */
    private static double radam(double p, double c, double lr, int steps, boolean lookahead) {
        double m = 0;
        double v = 0;
        double slow = Double.NaN;
        int counter = 0;
        double rhoInf = 2 / (1 - 0.999) - 1;
        for (int t = 1; t <= steps; t++) {
            double g = c * p;
            m = 0.9 * m + 0.1 * g;
            v = 0.999 * v + 0.001 * g * g;
            double b2t = Math.pow(0.999, t);
            double rho = rhoInf - 2 * t * b2t / (1 - b2t);
            double c1 = 1 - Math.pow(0.9, t);
            if (rho >= 5) {
                double r = Math.sqrt((1 - b2t) * (rho - 4) / (rhoInf - 4) * (rho - 2) / rho * rhoInf / (rhoInf - 2));
                p -= lr * r / c1 * m / (Math.sqrt(v) + 1e-8);
            } else {
                p -= lr / c1 * m;
            }
            if (lookahead) {
                if (counter == 0) {
                    if (Double.isNaN(slow)) {
                        slow = p;
                    }
                    p = 0.8 * p + 0.2 * slow;
                    slow = p;
                }
                counter = (counter + 1) % 5;
            }
        }
        return p;
    }

    @Test
    void radamFollowsTorchOptimizersUpdateThroughTheWarmUpAndAfterIt() {
        // ρ_t reaches 5 at step 6: steps 1–5 are momentum only, the rest rectified Adam
        double[] p = run(RAdam::new, 0.1, STEPS);
        assertThat(p[0]).isCloseTo(radam(1.0, 0.5, 0.1, STEPS, false), within(1e-12));
        assertThat(p[1]).isCloseTo(radam(-2.0, 2.0, 0.1, STEPS, false), within(1e-12));
    }

    @Test
    void aParametersLearningRateFactorScalesItsSteps() {
        double[] p = run(params -> new RAdam(params).withLearningRateScales(new double[] {1}), 0.05, STEPS);
        double[] scaled = run(params -> new RAdam(params).withLearningRateScales(new double[] {2}), 0.025, STEPS);
        assertThat(scaled).containsExactly(p, within(1e-12));
    }

    @Test
    void lookaheadPullsTheFastWeightsBackEveryFiveSteps() {
        double[] p = run(params -> new Lookahead(new RAdam(params), params, 5, 0.8), 0.1, STEPS);
        assertThat(p[0]).isCloseTo(radam(1.0, 0.5, 0.1, STEPS, true), within(1e-12));
        assertThat(p[1]).isCloseTo(radam(-2.0, 2.0, 0.1, STEPS, true), within(1e-12));
        assertThat(p[0]).isNotCloseTo(radam(1.0, 0.5, 0.1, STEPS, false), within(1e-6));
    }

    @Test
    void aSavedStateResumesExactly() {
        double[] straight = run(params -> new Lookahead(new RAdam(params), params, 5, 0.8), 0.1, STEPS);
        double[] resumed = DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray p = m.create(new double[] {1.0, -2.0});
                p.setName("p");
                p.setRequiresGradient(true);
                byte[] saved;
                try (Optimizer o = new Lookahead(new RAdam(List.of(p)), List.of(p), 5, 0.8)) {
                    for (int s = 0; s < 7; s++) {
                        step(m, p, o);
                    }
                    try (NDList state = o.state()) {
                        saved = state.encode();
                    }
                }
                try (Optimizer o = new Lookahead(new RAdam(List.of(p)), List.of(p), 5, 0.8);
                        NDList state = NDList.decode(m, saved)) {
                    o.load(state);
                    for (int s = 7; s < STEPS; s++) {
                        step(m, p, o);
                    }
                }
                return p.toDoubleArray();
            }
        });
        assertThat(resumed).containsExactly(straight, within(1e-12));
    }

    private static void step(NDManager m, NDArray p, Optimizer o) {
        o.zeroGradients();
        NDArray c = m.create(CURVATURE);
        GradMode.backward(GradMode.with(true, () -> p.square().mul(c).sum().div(2)));
        o.step(0.1);
    }
}

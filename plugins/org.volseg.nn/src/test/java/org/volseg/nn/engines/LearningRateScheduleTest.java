package org.volseg.nn.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.volseg.nn.engines.LearningRateSchedule.Kind;

/** The schedules against values worked out by hand. */
class LearningRateScheduleTest {

    @Test
    void polyDecaysAsNnUnet() {
        LearningRateSchedule poly = new LearningRateSchedule(Kind.POLY, 0.01, 100, 0);
        assertThat(poly.at(0)).isEqualTo(0.01);
        // 0.01 · 0.75^0.9, 0.01 · 0.5^0.9, 0.01 · 0.01^0.9
        assertThat(poly.at(25)).isCloseTo(0.007718895067235705, within(1e-15));
        assertThat(poly.at(50)).isCloseTo(0.005358867312681466, within(1e-15));
        assertThat(poly.at(99)).isCloseTo(1.5848931924611145e-4, within(1e-15));
        assertThat(poly.at(100)).isZero();
        assertThat(poly.at(1000)).isZero();
    }

    @Test
    void cosineFallsFromBaseToZero() {
        LearningRateSchedule cosine = new LearningRateSchedule(Kind.COSINE, 0.1, 100, 0);
        assertThat(cosine.at(0)).isEqualTo(0.1);
        // 0.1 · (1 + cos(π/4)) / 2
        assertThat(cosine.at(25)).isCloseTo(0.08535533905932738, within(1e-15));
        assertThat(cosine.at(50)).isCloseTo(0.05, within(1e-15));
        assertThat(cosine.at(100)).isCloseTo(0, within(1e-15));
    }

    @Test
    void constantStaysPut() {
        LearningRateSchedule constant = new LearningRateSchedule(Kind.CONSTANT, 3e-4, 10, 0);
        for (int s = 0; s < 12; s++) {
            assertThat(constant.at(s)).isEqualTo(3e-4);
        }
    }

    @Test
    void warmUpRisesLinearlyThenTheCurveStartsAtTheBase() {
        LearningRateSchedule poly = new LearningRateSchedule(Kind.POLY, 0.01, 110, 10);
        assertThat(poly.at(0)).isCloseTo(0.001, within(1e-15));
        assertThat(poly.at(4)).isCloseTo(0.005, within(1e-15));
        assertThat(poly.at(9)).isCloseTo(0.01, within(1e-15));
        assertThat(poly.at(10)).isEqualTo(0.01);
        // t = 50 of T = 100
        assertThat(poly.at(60)).isCloseTo(0.005358867312681466, within(1e-15));
        LearningRateSchedule cosine = new LearningRateSchedule(Kind.COSINE, 1, 14, 4);
        assertThat(cosine.at(1)).isEqualTo(0.5);
        assertThat(cosine.at(9)).isCloseTo(0.5, within(1e-15));
        LearningRateSchedule allWarmUp = new LearningRateSchedule(Kind.POLY, 1, 4, 4);
        assertThat(new double[] {allWarmUp.at(0), allWarmUp.at(3), allWarmUp.at(4)})
                .containsExactly(0.25, 1, 1);
    }

    @Test
    void badArgumentsAreRefusedByName() {
        assertThatThrownBy(() -> new LearningRateSchedule(Kind.POLY, 0, 10, 0)).hasMessageContaining("learning rate");
        assertThatThrownBy(() -> new LearningRateSchedule(Kind.POLY, 1, 0, 0)).hasMessageContaining("1 step");
        assertThatThrownBy(() -> new LearningRateSchedule(Kind.POLY, 1, 10, 11))
                .hasMessageContaining("warm-up steps must be in 0..10");
        assertThatThrownBy(() -> new LearningRateSchedule(Kind.POLY, 1, 10, 0).at(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

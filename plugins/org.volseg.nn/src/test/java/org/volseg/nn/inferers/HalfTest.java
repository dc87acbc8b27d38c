package org.volseg.nn.inferers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HalfTest {

    @Test
    void knownValues() {
        assertThat(Half.fromFloat(1f)).isEqualTo((short) 0x3c00);
        assertThat(Half.fromFloat(-2f)).isEqualTo((short) 0xc000);
        assertThat(Half.fromFloat(65504f)).isEqualTo((short) 0x7bff); // the largest half
        assertThat(Half.fromFloat(65520f)).isEqualTo((short) 0x7c00); // halfway to the next: rounds to infinity
        assertThat(Half.fromFloat(1f / 3)).isEqualTo((short) 0x3555);
        assertThat(Half.fromFloat(0x1p-24f)).isEqualTo((short) 1); // the smallest subnormal
        assertThat(Half.fromFloat(0x1p-25f)).isEqualTo((short) 0); // a tie, to even
        assertThat(Half.fromFloat(0x1.8p-25f)).isEqualTo((short) 1);
        assertThat(Half.fromFloat(Float.NaN) & 0x7fff).isGreaterThan(0x7c00);
        assertThat(Half.toFloat((short) 0x3555)).isEqualTo(0.333251953125f);
        assertThat(Half.toFloat((short) 0xfc00)).isEqualTo(Float.NEGATIVE_INFINITY);
    }

    @Test
    void everyHalfSurvivesTheRoundTrip() {
        for (int h = 0; h < 0x10000; h++) {
            float f = Half.toFloat((short) h);
            if (!Float.isNaN(f)) {
                assertThat(Half.fromFloat(f) & 0xffff).as("half %04x = %s", h, f).isEqualTo(h);
            }
        }
    }

    @Test
    void floatsGoToTheNearestHalf() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 200_000; i++) {
            float f = (float) (random.nextDouble(-1, 1) * Math.pow(2, random.nextInt(-26, 16)));
            short h = Half.fromFloat(f);
            double error = Math.abs(Half.toFloat(h) - (double) f);
            for (int neighbour : new int[] {h - 1, h + 1}) {
                float other = Half.toFloat((short) neighbour);
                if (!Float.isInfinite(other) && Math.signum(other) == Math.signum(Half.toFloat(h))) {
                    assertThat(error).as("%s → %s, neighbour %s", f, Half.toFloat(h), other)
                            .isLessThanOrEqualTo(Math.abs(other - (double) f));
                }
            }
        }
    }
}

package org.volseg.core.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GaussianSourceTest {

    @Test
    void quantilesMatchKnownValues() {
        assertThat(GaussianSource.inverseNormal(0.5)).isZero();
        assertThat(GaussianSource.inverseNormal(0.158655253931457)).isCloseTo(-1, within(1e-8));
        assertThat(GaussianSource.inverseNormal(0.022750131948179)).isCloseTo(-2, within(1e-8));
        assertThat(GaussianSource.inverseNormal(0.001349898031630)).isCloseTo(-3, within(1e-8));
    }

    @Test
    void drawsAreStandardNormal() {
        GaussianSource source = new GaussianSource(new SplittableRandom(2));
        int n = 400_000;
        double sum = 0;
        double squares = 0;
        double fourths = 0;
        int withinOneSigma = 0;
        int beyondTwoSigma = 0;
        for (int i = 0; i < n; i++) {
            double g = source.next();
            sum += g;
            squares += g * g;
            fourths += g * g * g * g;
            withinOneSigma += Math.abs(g) < 1 ? 1 : 0;
            beyondTwoSigma += Math.abs(g) > 2 ? 1 : 0;
        }
        // standard errors at n = 400 000: mean 0.0016, variance 0.0022, kurtosis (3) 0.02, shares ≤ 0.0008
        assertThat(sum / n).isCloseTo(0, within(0.008));
        assertThat(squares / n).isCloseTo(1, within(0.011));
        assertThat(fourths / n).isCloseTo(3, within(0.1));
        assertThat(withinOneSigma / (double) n).isCloseTo(0.6827, within(0.004));
        assertThat(beyondTwoSigma / (double) n).isCloseTo(0.0455, within(0.0017));
    }
}

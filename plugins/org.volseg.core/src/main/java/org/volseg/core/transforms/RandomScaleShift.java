package org.volseg.core.transforms;

import java.util.SplittableRandom;
import org.volseg.core.volume.Volume;

/**
 * With the given probability, {@code value · scale + shift} with scale and shift drawn per channel (nnU-Net's
 * multiplicative brightness, MONAI's RandScaleIntensity and RandShiftIntensity). Draws whether it fires, then per
 * channel the scale and the shift.
 *
 * @param probability chance of changing the image at all
 * @param minScale    smallest factor
 * @param maxScale    largest factor
 * @param minShift    smallest offset
 * @param maxShift    largest offset
 */
public record RandomScaleShift(double probability, double minScale, double maxScale, double minShift,
        double maxShift) implements RandomIntensityTransform {

    public RandomScaleShift {
        Probabilities.require(probability);
        Probabilities.requireRange("the scale", minScale, maxScale);
        Probabilities.requireRange("the shift", minShift, maxShift);
    }

    @Override
    public Volume apply(Volume image, SplittableRandom random) {
        if (random.nextDouble() >= probability) {
            return image.copy();
        }
        Volume out = Volume.zeros(image.geometry(), image.channelCount());
        for (int c = 0; c < image.channelCount(); c++) {
            double scale = Probabilities.uniform(random, minScale, maxScale);
            double shift = Probabilities.uniform(random, minShift, maxShift);
            float[] in = image.channel(c);
            float[] to = out.channel(c);
            Slabs.forEachRange(image.geometry(), (z, from, end) -> {
                for (int i = from; i < end; i++) {
                    to[i] = (float) (in[i] * scale + shift);
                }
            });
        }
        return out;
    }
}

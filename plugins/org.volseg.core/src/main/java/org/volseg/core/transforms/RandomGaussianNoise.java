package org.volseg.core.transforms;

import java.util.SplittableRandom;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.Volume;

/**
 * With the given probability, adds Gaussian noise of mean 0 and a standard deviation drawn uniformly in
 * [0, maxStandardDeviation], one for all channels (nnU-Net's noise transform; MONAI's RandGaussianNoise). Each
 * channel's z slab gets its own random stream, split from the caller's in a fixed order, so the noise is the same
 * whatever the number of threads. Draws whether it fires, then the deviation, then splits one stream per channel and
 * slab.
 *
 * @param probability          chance of adding noise at all
 * @param maxStandardDeviation largest standard deviation (in the image's units)
 */
public record RandomGaussianNoise(double probability, double maxStandardDeviation)
        implements RandomIntensityTransform {

    public RandomGaussianNoise {
        Probabilities.require(probability);
        Probabilities.requireRange("the standard deviation", 0, maxStandardDeviation);
    }

    @Override
    public Volume apply(Volume image, SplittableRandom random) {
        if (random.nextDouble() >= probability) {
            return image.copy();
        }
        double deviation = Probabilities.uniform(random, 0, maxStandardDeviation);
        Geometry grid = image.geometry();
        Volume out = Volume.zeros(grid, image.channelCount());
        for (int c = 0; c < image.channelCount(); c++) {
            SplittableRandom[] slabRandoms = new SplittableRandom[grid.nz()];
            for (int z = 0; z < slabRandoms.length; z++) {
                slabRandoms[z] = random.split();
            }
            float[] in = image.channel(c);
            float[] to = out.channel(c);
            Slabs.forEachRange(grid, (z, from, end) -> {
                SplittableRandom slabRandom = slabRandoms[z];
                for (int i = from; i < end; i++) {
                    to[i] = (float) (in[i] + deviation * slabRandom.nextGaussian());
                }
            });
        }
        return out;
    }
}

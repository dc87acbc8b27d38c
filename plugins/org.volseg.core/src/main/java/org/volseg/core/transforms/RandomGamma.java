package org.volseg.core.transforms;

import java.util.SplittableRandom;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.Volume;

/**
 * With the given probability, a gamma curve per channel (nnU-Net's gamma transform, MONAI's RandAdjustContrast):
 * each channel is scaled to [0, 1] by its minimum and maximum, raised to a gamma drawn per channel, and scaled back,
 * so its range is kept. A constant channel is left alone. Draws whether it fires, then a gamma per channel.
 *
 * @param probability chance of changing the image at all
 * @param minGamma    smallest exponent (below 1 brightens)
 * @param maxGamma    largest exponent (above 1 darkens)
 */
public record RandomGamma(double probability, double minGamma, double maxGamma) implements RandomIntensityTransform {

    public RandomGamma {
        Probabilities.require(probability);
        Probabilities.requireRange("the gamma", minGamma, maxGamma);
        if (!(minGamma > 0)) {
            throw new IllegalArgumentException("gamma must be positive, got " + minGamma);
        }
    }

    @Override
    public Volume apply(Volume image, SplittableRandom random) {
        if (random.nextDouble() >= probability) {
            return image.copy();
        }
        Geometry grid = image.geometry();
        Volume out = Volume.zeros(grid, image.channelCount());
        for (int c = 0; c < image.channelCount(); c++) {
            double gamma = Probabilities.uniform(random, minGamma, maxGamma);
            float[] in = image.channel(c);
            float[] to = out.channel(c);
            double[] range = range(grid, in);
            double min = range[0];
            double width = range[1] - range[0];
            if (!(width > 0)) {
                System.arraycopy(in, 0, to, 0, in.length);
                continue;
            }
            Slabs.forEachRange(grid, (z, from, end) -> {
                for (int i = from; i < end; i++) {
                    to[i] = (float) (Math.pow((in[i] - min) / width, gamma) * width + min);
                }
            });
        }
        return out;
    }

    /** Minimum and maximum, NaN left out (per slab, then combined). */
    private static double[] range(Geometry grid, float[] values) {
        float[] minima = new float[grid.nz()];
        float[] maxima = new float[grid.nz()];
        Slabs.forEachRange(grid, (z, from, end) -> {
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = from; i < end; i++) {
                min = Math.min(min, Float.isNaN(values[i]) ? min : values[i]);
                max = Math.max(max, Float.isNaN(values[i]) ? max : values[i]);
            }
            minima[z] = min;
            maxima[z] = max;
        });
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int z = 0; z < grid.nz(); z++) {
            min = Math.min(min, minima[z]);
            max = Math.max(max, maxima[z]);
        }
        return new double[] {min, max};
    }
}

package org.volseg.core.transforms;

import java.util.List;
import java.util.SplittableRandom;
import org.volseg.core.volume.Geometry;

/**
 * A spatial augmentation: draws a {@link GeometricTransform} for a grid from a seeded random source. Drawing once
 * and applying the drawn transform to the image and to its labels keeps them aligned; the drawn transform also
 * inverts, for test-time augmentation. The same seed draws the same transform.
 */
public interface RandomGeometricTransform {

    /** Draws the transform for {@code grid}; when the augmentation does not fire, an identity. */
    GeometricTransform sample(Geometry grid, SplittableRandom random);

    /** Draws one transform and applies it to both image and labels. */
    default ImageAndLabels apply(ImageAndLabels pair, SplittableRandom random) {
        return sample(pair.image().geometry(), random).apply(pair);
    }

    /** The augmentations one after another, each drawn on the previous one's output grid, as one chain. */
    static RandomGeometricTransform sequence(RandomGeometricTransform... steps) {
        List<RandomGeometricTransform> list = List.of(steps);
        return (grid, random) -> {
            TransformChain chain = TransformChain.startingAt(grid);
            for (RandomGeometricTransform step : list) {
                chain = chain.then(step.sample(chain.target(), random));
            }
            return chain;
        };
    }
}

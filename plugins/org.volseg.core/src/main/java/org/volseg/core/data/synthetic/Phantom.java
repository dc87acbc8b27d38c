package org.volseg.core.data.synthetic;

import java.util.List;
import java.util.Objects;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;

/**
 * One synthetic case.
 *
 * @param id           the case id, e.g. "phantom_000"; used in file names
 * @param seed         the seed that made it ({@link PhantomGenerator#generate(String, long, PhantomSpec)})
 * @param image        the channels, in the order of {@code channelNames}
 * @param labels       the segmentation, values as {@link TumourLabels}
 * @param channelNames one name per channel ("t1", "t1ce", "t2", "flair")
 * @param labelNames   the label names, indexed by label value
 * @param tissues      the healthy tissue under each voxel, values as {@link Tissue#ordinal()}: ground truth for
 *                     tasks such as skull stripping, and the "normal brain" of tests
 */
public record Phantom(String id, long seed, Volume image, LabelMap labels, List<String> channelNames,
        List<String> labelNames, LabelMap tissues) {

    public Phantom {
        Objects.requireNonNull(id, "id");
        channelNames = List.copyOf(channelNames);
        labelNames = List.copyOf(labelNames);
        if (channelNames.size() != image.channelCount()) {
            throw new IllegalArgumentException(channelNames.size() + " channel names for " + image.channelCount()
                    + " channels");
        }
        if (!labels.geometry().sameGrid(image.geometry(), 0) || !tissues.geometry().sameGrid(image.geometry(), 0)) {
            throw new IllegalArgumentException("image, labels and tissues must share one grid");
        }
    }

    /** The channel of one contrast. */
    public float[] channel(MrContrast contrast) {
        return image.channel(contrast.channel());
    }

    @Override
    public String toString() {
        return "Phantom(" + id + ", seed " + seed + ", " + image + ")";
    }
}

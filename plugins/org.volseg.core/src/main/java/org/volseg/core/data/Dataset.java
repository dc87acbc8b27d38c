package org.volseg.core.data;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cases with what is known about them: the channel names (modalities) and the label names, as a Medical
 * Segmentation Decathlon dataset.json gives them (empty when the source does not say).
 *
 * @param name         the dataset's name
 * @param cases        the cases, in a stable order
 * @param channelNames channel index to name ("FLAIR", "T1w", ...)
 * @param labelNames   label value to name (0 "background", 1 "edema", ...)
 */
public record Dataset(String name, List<Case> cases, Map<Integer, String> channelNames,
        Map<Integer, String> labelNames) {

    public Dataset {
        cases = List.copyOf(cases);
        channelNames = Map.copyOf(channelNames);
        labelNames = Map.copyOf(labelNames);
        Set<String> ids = new HashSet<>();
        for (Case c : cases) {
            if (!ids.add(c.id())) {
                throw new IllegalArgumentException("dataset " + name + " has two cases with id " + c.id());
            }
        }
    }
}

package org.volseg.nn.bundle;

import java.util.List;
import java.util.Map;

/**
 * What a model bundle says about its model (manifest.json): enough to rebuild the network, prepare an input as in
 * training, and name the outputs.
 *
 * @param formatVersion     the bundle format; a reader refuses newer ones
 * @param architecture      the network's configuration (name and its settings)
 * @param channelNames      input channels in order ("T1", "FLAIR", ...)
 * @param labelNames        label value to name (0 "background", ...)
 * @param preprocessing     how inputs were prepared, with the statistics it needs
 * @param patchSize         training patch size (x, y, z voxels)
 * @param provenance        who trained it, when, from what, with which seed and VolSeg version
 * @param metrics           validation metrics at the end of training
 * @param parametersSha256  checksum of the parameter file (or of the TorchScript module), checked on every read
 */
public record BundleManifest(int formatVersion, Map<String, Object> architecture, List<String> channelNames,
        Map<Integer, String> labelNames, Map<String, Object> preprocessing, List<Integer> patchSize,
        Map<String, Object> provenance, Map<String, Double> metrics, String parametersSha256) {

    /** The format this VolSeg writes and the newest it reads. */
    public static final int FORMAT_VERSION = 1;

    public BundleManifest {
        architecture = Map.copyOf(architecture);
        channelNames = List.copyOf(channelNames);
        labelNames = Map.copyOf(labelNames);
        preprocessing = Map.copyOf(preprocessing);
        patchSize = List.copyOf(patchSize);
        provenance = Map.copyOf(provenance);
        metrics = Map.copyOf(metrics);
    }

    /** The same manifest with the parameters' checksum set (the writer computes it). */
    BundleManifest withChecksum(String sha256) {
        return new BundleManifest(formatVersion, architecture, channelNames, labelNames, preprocessing, patchSize,
                provenance, metrics, sha256);
    }
}

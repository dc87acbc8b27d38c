package org.volseg.nn.networks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.volseg.core.sampling.PatchSize;

/**
 * Everything that defines a segmenter's shape: the architecture, channels in and out, widths per level, blocks per
 * level, normalisation, activation and the optional VAE branch. It travels in model bundles as a map, so a bundle
 * rebuilds exactly the network it was trained with.
 *
 * @param architecture    which network
 * @param inputChannels   image channels (e.g. 4 MRI contrasts)
 * @param classes         output classes, background included
 * @param widths          channels per resolution level, top first; Fully-InvRes rounds them by the iUNets rule
 * @param blocksPerLevel  residual blocks (or couplings) per level, encoder and decoder each
 * @param norm            normalisation inside blocks
 * @param activation      activation inside blocks
 * @param vae             whether a VAE branch regularises training (dropped from predicting bundles)
 * @param patch           training patch size; the VAE's dense layers depend on it
 */
public record NetworkConfig(Architecture architecture, int inputChannels, int classes, List<Integer> widths,
        int blocksPerLevel, Norm norm, Activation activation, boolean vae, PatchSize patch) {

    /** Normalisation inside blocks: never batch norm, which a reversible re-run would update twice. */
    public enum Norm {
        INSTANCE, GROUP, NONE
    }

    /** Activation inside blocks; PReLU learns one slope for negative inputs per unit (MONAI's default, 0.25). */
    public enum Activation {
        LEAKY_RELU, RELU, PRELU
    }

    /** Groups of group normalisation (or fewer when a width has fewer channels). */
    public static final int GROUPS = 8;

    public NetworkConfig {
        widths = List.copyOf(widths);
        require(inputChannels >= 1, "input channels", inputChannels, "1 or more");
        require(classes >= 2, "classes", classes, "2 or more (background included)");
        require(widths.size() >= 1 && widths.size() <= 6, "levels (widths)", widths.size(), "1 to 6");
        for (int w : widths) {
            require(w >= 2 && w % 2 == 0, "width", w, "an even number of 2 or more (couplings split channels in half)");
        }
        require(blocksPerLevel >= 1 && blocksPerLevel <= 64, "blocks per level", blocksPerLevel, "1 to 64");
        int multiple = 1 << (widths.size() - 1 + (vae ? 1 : 0));
        for (int axis = 0; axis < 3; axis++) {
            int edge = patch.along(axis);
            require(edge % multiple == 0, "patch size " + "xyz".charAt(axis), edge,
                    "a multiple of " + multiple + " for " + widths.size() + " levels" + (vae ? " and the VAE" : ""));
        }
        if (architecture == Architecture.FULLY_INVRES) {
            for (int w : levelWidths(architecture, widths)) {
                require(w % 2 == 0, "Fully-InvRes width", w, "even; choose widths that double per level");
            }
        }
    }

    /** A residual U-Net of the given widths with instance norm and leaky ReLU, no VAE. */
    public static NetworkConfig of(Architecture architecture, int inputChannels, int classes, List<Integer> widths,
            int blocksPerLevel, PatchSize patch) {
        return new NetworkConfig(architecture, inputChannels, classes, widths, blocksPerLevel, Norm.INSTANCE,
                Activation.LEAKY_RELU, false, patch);
    }

    public NetworkConfig withVae(boolean on) {
        return new NetworkConfig(architecture, inputChannels, classes, widths, blocksPerLevel, norm, activation, on,
                patch);
    }

    public int levels() {
        return widths.size();
    }

    /**
     * The level of the feature taps distillation compares: 2 (¼ resolution, Graph Flow's taps) when the network
     * has a decoder there (4 levels or more), else the deepest level that has one.
     *
     * @throws IllegalArgumentException for a single-level network, which has no decoder
     */
    public int featureLevel() {
        if (levels() < 2) {
            throw new IllegalArgumentException("a network of one level has no decoder to tap; give it 2 or more "
                    + "levels (4 or more for taps at ¼ resolution)");
        }
        if (architecture == Architecture.STRIDED_UNET3D && levels() < 3) {
            throw new IllegalArgumentException("a strided U-Net of 2 levels has no half-resolution decoder output to "
                    + "tap; give it 3 or more levels (4 or more for taps at ¼ resolution)");
        }
        return Math.min(2, levels() - 2);
    }

    /**
     * Channels of both feature taps: the width of level {@link #featureLevel()}, or for the strided U-Net (whose
     * level i runs at 2^−(i+1) resolution) the width of the level above.
     */
    public int tapChannels() {
        int level = featureLevel();
        return levelWidths().get(architecture == Architecture.STRIDED_UNET3D ? level - 1 : level);
    }

    /** Channels of the last layer's input (a pointwise head's, {@link Network#headInput}): the top level's width. */
    public int headWidth() {
        return levelWidths().get(0);
    }

    /** The channels each level really has (Fully-InvRes: C_{i+1} = 8 · (C_i − skip_i)). */
    public List<Integer> levelWidths() {
        return levelWidths(architecture, widths);
    }

    /** Fully-InvRes: channels kept as the skip code at each level but the last. */
    public List<Integer> skipChannels() {
        List<Integer> actual = levelWidths();
        List<Integer> skips = new ArrayList<>();
        for (int i = 0; i + 1 < actual.size(); i++) {
            skips.add(skip(actual.get(i), widths.get(i + 1)));
        }
        return skips;
    }

    private static List<Integer> levelWidths(Architecture architecture, List<Integer> requested) {
        if (architecture != Architecture.FULLY_INVRES) {
            return requested;
        }
        List<Integer> actual = new ArrayList<>();
        int c = requested.get(0);
        actual.add(c);
        for (int i = 1; i < requested.size(); i++) {
            c = 8 * (c - skip(c, requested.get(i)));
            actual.add(c);
        }
        return actual;
    }

    /** iUNets' rule: keep round(C · (8 − factor) / 8) channels, factor = desired next width / C; at least one. */
    private static int skip(int channels, int desiredNext) {
        double factor = (double) desiredNext / channels;
        int skip = (int) Math.max(1, Math.round(channels * (8 - factor) / 8));
        return Math.min(skip, channels - 1);
    }

    private static void require(boolean ok, String what, Object value, String allowed) {
        if (!ok) {
            throw new IllegalArgumentException("Network " + what + " is " + value + "; allowed: " + allowed);
        }
    }

    /** The config as a map for a bundle manifest (snake_case keys). */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", architecture.name());
        map.put("input_channels", inputChannels);
        map.put("classes", classes);
        map.put("widths", widths);
        map.put("blocks_per_level", blocksPerLevel);
        map.put("norm", norm.name());
        map.put("activation", activation.name());
        map.put("vae", vae);
        map.put("patch", List.of(patch.x(), patch.y(), patch.z()));
        return map;
    }

    /** The config a bundle manifest describes; a missing or malformed key is an IllegalArgumentException. */
    @SuppressWarnings("unchecked")
    public static NetworkConfig fromMap(Map<String, Object> map) {
        try {
            List<Integer> patch = ((List<Number>) map.get("patch")).stream().map(Number::intValue).toList();
            return new NetworkConfig(Architecture.valueOf((String) map.get("name")),
                    ((Number) map.get("input_channels")).intValue(), ((Number) map.get("classes")).intValue(),
                    ((List<Number>) map.get("widths")).stream().map(Number::intValue).toList(),
                    ((Number) map.get("blocks_per_level")).intValue(), Norm.valueOf((String) map.get("norm")),
                    Activation.valueOf((String) map.get("activation")), Boolean.TRUE.equals(map.get("vae")),
                    PatchSize.of(patch.get(0), patch.get(1), patch.get(2)));
        } catch (ClassCastException | NullPointerException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("the architecture map " + map + " is not a VolSeg network config", e);
        }
    }
}

package org.volseg.nn.ossnet;

import java.util.List;

/**
 * An OSS-Net configuration: the variant (what the decoder is conditioned on) and the dataset preset (channels,
 * encoder widths, latent grid), as the reference's {@code oss_net/config.py} and training scripts define them.
 *
 * @param variant the network variant
 * @param preset  the dataset preset
 * @param classes foreground classes, one sigmoid output each (the reference: 1, occupancy)
 */
public record OssNetConfig(Variant variant, Preset preset, int classes) {

    public OssNetConfig {
        if (classes < 1) {
            throw new IllegalArgumentException("an OSS-Net needs at least one foreground class, got " + classes);
        }
    }

    /** The reference's binary network: one occupancy output. */
    public OssNetConfig(Variant variant, Preset preset) {
        this(variant, preset, 1);
    }

    /** The reference's variants, by their paper names (code names in brackets). */
    public enum Variant {
        /** O-Net baseline, wide decoder ({@code vanilla_o_net_wide}): one latent, no patches. */
        O_NET(false, false, false),
        /** OSS-Net A: the 7³ local patch. */
        A(true, false, false),
        /** OSS-Net B: the 7³ patch and the mid-range 14³ → 7³ patch. */
        B(true, true, false),
        /** OSS-Net C ({@code full}): skip encoder, a latent per decoder block, auxiliary low-resolution loss. */
        C(true, false, true),
        /** OSS-Net D ({@code full2}): C with the mid-range patch. */
        D(true, true, true);

        private final boolean localPatch;
        private final boolean midRangePatch;
        private final boolean skipEncoder;

        Variant(boolean localPatch, boolean midRangePatch, boolean skipEncoder) {
            this.localPatch = localPatch;
            this.midRangePatch = midRangePatch;
            this.skipEncoder = skipEncoder;
        }

        public boolean localPatch() {
            return localPatch;
        }

        public boolean midRangePatch() {
            return midRangePatch;
        }

        /** Skip encoder: a latent per decoder block and the auxiliary low-resolution segmentation. */
        public boolean skipEncoder() {
            return skipEncoder;
        }
    }

    /**
     * A dataset preset.
     *
     * @param channels   image channels
     * @param widths     encoder block widths, the input channels first
     * @param latentGrid the encoder's output grid (x, y, z), whose voxel count is the latent size
     */
    public record Preset(String name, int channels, List<Integer> widths, List<Integer> latentGrid) {

        /** BraTS 2020: 4 MR channels, encoder input 128 × 128 × 80, latent 8 × 8 × 5 = 320. */
        public static final Preset BRATS = new Preset("brats", 4, List.of(4, 16, 32, 64, 128), List.of(8, 8, 5));
        /** LiTS: 1 CT channel, encoder input 256³, latent 8³ = 512. */
        public static final Preset LITS = new Preset("lits", 1, List.of(1, 8, 16, 32, 64, 128), List.of(8, 8, 8));

        /**
         * A preset for images up to {@code size} voxels (x, y, z): the smallest latent grid whose full-resolution
         * grid (latent × 2 per encoder block × 2 for the encoder's halved input) holds them.
         *
         * @param blockWidths the encoder blocks' widths (the input's channels come first in the preset)
         */
        public static Preset fitting(String name, int channels, List<Integer> blockWidths, int[] size) {
            int factor = 1 << (blockWidths.size() + 1);
            List<Integer> widths = new java.util.ArrayList<>(List.of(channels));
            widths.addAll(blockWidths);
            List<Integer> grid = java.util.Arrays.stream(size).map(n -> Math.max(1, (n + factor - 1) / factor))
                    .boxed().toList();
            return new Preset(name, channels, widths, grid);
        }

        public int latentSize() {
            return latentGrid.get(0) * latentGrid.get(1) * latentGrid.get(2);
        }
    }

    /** The decoder's width (the "wide" O-Net and every OSS-Net variant). */
    public static final int DECODER_WIDTH = 512;
    /** Residual blocks in the decoder. */
    public static final int DECODER_BLOCKS = 5;

    /** Channels of the decoder's patch input: C for the 7³ patch, 2C with the mid-range patch, 0 without. */
    public int patchChannels() {
        return !variant.localPatch() ? 0 : variant.midRangePatch() ? 2 * preset.channels() : preset.channels();
    }

    /** Width of a point's decoder input: coordinates, patch features (343), latent. */
    public int decoderInput() {
        return 3 + (variant.localPatch() ? 343 : 0) + preset.latentSize();
    }

    /** The name `volseg architectures` lists: "oss-net-d-brats". */
    public String name() {
        return (variant == Variant.O_NET ? "o-net" : "oss-net-" + variant.name().toLowerCase(java.util.Locale.ROOT))
                + "-" + preset.name();
    }

    /** The architecture name a bundle of any OSS-Net or O-Net carries. */
    public static final String ARCHITECTURE = "OSS_NET";

    /** The manifest's architecture map of this network. */
    public java.util.Map<String, Object> toMap() {
        java.util.Map<String, Object> map = new java.util.LinkedHashMap<>();
        map.put("name", ARCHITECTURE);
        map.put("variant", variant.name());
        map.put("preset", preset.name());
        map.put("widths", preset.widths());
        map.put("latent_grid", preset.latentGrid());
        map.put("classes", classes);
        return map;
    }

    /**
     * The network an architecture map describes.
     *
     * @throws IllegalArgumentException when it describes none
     */
    @SuppressWarnings("unchecked")
    public static OssNetConfig fromMap(java.util.Map<String, Object> map) {
        try {
            if (!ARCHITECTURE.equals(map.get("name"))) {
                throw new IllegalArgumentException("the architecture is " + map.get("name") + ", not " + ARCHITECTURE);
            }
            List<Integer> widths = ((List<Number>) map.get("widths")).stream().map(Number::intValue).toList();
            List<Integer> grid = ((List<Number>) map.get("latent_grid")).stream().map(Number::intValue).toList();
            if (widths.size() < 2 || grid.size() != 3 || widths.stream().anyMatch(w -> w < 1)
                    || grid.stream().anyMatch(g -> g < 1)) {
                throw new IllegalArgumentException("widths " + widths + " and latent grid " + grid + " describe no "
                        + "network: at least an input and one block width, and three grid sizes, all positive");
            }
            // bundles written before multi-class heads have no "classes": one occupancy output
            Number classes = (Number) map.getOrDefault("classes", 1);
            return new OssNetConfig(Variant.valueOf((String) map.get("variant")),
                    new Preset((String) map.get("preset"), widths.get(0), widths, grid), classes.intValue());
        } catch (ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("the architecture map " + map + " is not an OSS-Net config", e);
        }
    }
}

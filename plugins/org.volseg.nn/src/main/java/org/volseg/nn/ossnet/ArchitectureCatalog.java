package org.volseg.nn.ossnet;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.volseg.core.sampling.PatchSize;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.networks.Architecture;
import org.volseg.nn.networks.Network;
import org.volseg.nn.networks.NetworkConfig;

/**
 * Every architecture preset VolSeg has, with its parameter count counted from the network as built (not from a
 * table): the InvRes segmenters at the learner's defaults, MONAI's UNet layout, the distillation students and
 * OSS-Net's presets.
 */
public final class ArchitectureCatalog {

    /** One preset: its name, its family, what it is, and its trainable parameters. */
    public record Entry(String name, String family, String description, long parameters) {
    }

    /** The Segmenter Distiller's default student widths. */
    public static final List<Integer> STUDENT_WIDTHS = List.of(8, 16, 32, 64);

    /** MONAI's UNet channels in the configuration its users benchmark (and `bench inference` compares with). */
    public static final List<Integer> MONAI_CHANNELS = List.of(16, 32, 64, 128, 256);

    private ArchitectureCatalog() {
    }

    /** Builds each preset once (in a manager closed at the end) and counts its parameters. */
    public static List<Entry> all() {
        return DjlContext.call(() -> {
            List<Entry> entries = new ArrayList<>();
            try (NDManager m = DjlContext.cpuManager()) {
                for (Architecture a : List.of(Architecture.UNET3D, Architecture.PARTIALLY_INVRES,
                        Architecture.FULLY_INVRES)) {
                    for (boolean vae : new boolean[] {false, true}) {
                        NetworkConfig c = new NetworkConfig(a, 4, 4, List.of(16, 32, 64, 128), 2,
                                NetworkConfig.Norm.INSTANCE, NetworkConfig.Activation.LEAKY_RELU, vae,
                                PatchSize.cube(64));
                        try (NDManager scope = m.newSubManager()) {
                            Network net = Network.build(c, scope, 1);
                            long count = net.parameters().stream().mapToLong(p -> p.getShape().size()).sum();
                            entries.add(new Entry(a.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                                    + (vae ? "+vae" : ""), "InvRes", "widths 16-32-64-128, 2 blocks per level, "
                                    + "4 channels, 4 classes" + (vae ? ", VAE branch (training only) at 64³" : ""),
                                    count));
                        }
                    }
                }
                for (Architecture a : List.of(Architecture.UNET3D, Architecture.MOBILE_UNET3D)) {
                    NetworkConfig c = NetworkConfig.of(a, 4, 4, STUDENT_WIDTHS, 1, PatchSize.cube(64));
                    try (NDManager scope = m.newSubManager()) {
                        long count = Network.build(c, scope, 1).parameters().stream()
                                .mapToLong(p -> p.getShape().size()).sum();
                        entries.add(new Entry(a.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                                + "-student", "Graph Flow", "distillation student: widths 8-16-32-64, 1 block per "
                                + "level" + (a == Architecture.MOBILE_UNET3D ? " (inverted residuals)" : "")
                                + ", 4 channels, 4 classes", count));
                    }
                }
                NetworkConfig monai = new NetworkConfig(Architecture.STRIDED_UNET3D, 1, 3, MONAI_CHANNELS, 2,
                        NetworkConfig.Norm.INSTANCE, NetworkConfig.Activation.PRELU, false, PatchSize.cube(96));
                try (NDManager scope = m.newSubManager()) {
                    entries.add(new Entry("strided-unet3d", "baseline", "MONAI's UNet layout (channels 16-32-64-128-256, "
                            + "strides 2, 2 residual units, PReLU), 1 channel, 3 classes",
                            Network.build(monai, scope, 1).parameters().stream().mapToLong(p -> p.getShape().size())
                                    .sum()));
                }
                for (OssNetConfig.Preset preset : List.of(OssNetConfig.Preset.BRATS, OssNetConfig.Preset.LITS)) {
                    for (OssNetConfig.Variant v : OssNetConfig.Variant.values()) {
                        OssNetConfig c = new OssNetConfig(v, preset);
                        try (NDManager scope = m.newSubManager()) {
                            entries.add(new Entry(c.name(), "OSS-Net", preset.name() + " preset: " + preset
                                    .channels() + " channel(s), latent " + preset.latentSize() + (v.localPatch()
                                            ? ", 7³ patch" : "") + (v.midRangePatch() ? " + mid-range patch" : "")
                                    + (v.skipEncoder() ? ", skip encoder with a latent per decoder block" : ""),
                                    OssNet.build(c, scope, 1).parameterCount()));
                        }
                    }
                }
            }
            return entries;
        });
    }
}

package org.volseg.nn.networks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.volseg.nn.engines.Segment;

/**
 * MONAI's residual U-Net layout ({@code monai.networks.nets.UNet} with {@code num_res_units}), so that VolSeg can
 * run the network MONAI users know, at the same cost: no full-resolution level; each level halves the resolution
 * with a residual unit whose first convolution has stride 2; the deepest width is a bottom unit at the last
 * level's resolution; the way up concatenates skip and deeper output, doubles the resolution with a transposed
 * convolution and refines with a one-convolution residual unit; the top one ends in the class logits at the input's
 * resolution. Units are convolution → instance norm without affine parameters (MONAI's default) → activation.
 * {@code widths} are MONAI's {@code channels}, {@code blocksPerLevel} its {@code num_res_units} (convolutions per
 * residual unit on the way down).
 */
final class StridedUNet {

    private StridedUNet() {
    }

    /** One convolution (strided, or transposed ×2) and, unless it ends the network, norm and activation. */
    private record ConvUnit(NDArray weight, NDArray bias, int stride, boolean transposed, boolean convOnly,
            NetworkConfig.Norm norm, NetworkConfig.Activation activation, NDArray slope) {

        static ConvUnit create(Parameters p, String name, NetworkConfig config, int in, int out, int stride,
                boolean transposed, boolean convOnly) {
            return new ConvUnit(p.kernel(name + ".weight", out, in, 3, 1), p.zeros(name + ".bias", new Shape(out)),
                    stride, transposed, convOnly, config.norm(), config.activation(),
                    convOnly ? null : Layers.preluSlope(p, name, config.activation()));
        }

        NDArray apply(NDArray x) {
            NDArray h = transposed ? Layers.transposedConv(x, weight, bias) : Layers.conv(x, weight, bias, stride);
            if (convOnly) {
                return h;
            }
            // each intermediate closed once used (DJL would keep it until the segment ends; autograd keeps its own)
            NDArray normed = Layers.normalise(h, norm, null, null);
            closeUnless(h, normed);
            NDArray out = Layers.activate(normed, activation, slope);
            closeUnless(normed, out);
            return out;
        }

        List<NDArray> parameters() {
            return slope == null ? List.of(weight, bias) : List.of(slope, weight, bias);
        }
    }

    /**
     * MONAI's ResidualUnit: {@code convolutions} units (the first with the stride) plus the input, itself when the
     * shapes agree, else through a convolution (3³ with the stride, 1³ without) with neither norm nor activation.
     */
    private record ResidualUnit(List<ConvUnit> units, NDArray skipWeight, NDArray skipBias, int stride) {

        static ResidualUnit create(Parameters p, String name, NetworkConfig config, int in, int out, int stride,
                int convolutions, boolean lastConvOnly) {
            List<ConvUnit> units = new ArrayList<>();
            for (int k = 0; k < convolutions; k++) {
                units.add(ConvUnit.create(p, name + ".conv" + k, config, k == 0 ? in : out, out, k == 0 ? stride : 1,
                        false, lastConvOnly && k == convolutions - 1));
            }
            if (stride == 1 && in == out) {
                return new ResidualUnit(units, null, null, 1);
            }
            int kernel = stride == 1 ? 1 : 3;
            return new ResidualUnit(units, p.kernel(name + ".skip.weight", out, in, kernel, 1),
                    p.zeros(name + ".skip.bias", new Shape(out)), stride);
        }

        NDArray apply(NDArray x) {
            NDArray h = x;
            for (ConvUnit unit : units) {
                NDArray next = unit.apply(h);
                if (h != x) {
                    h.close();
                }
                h = next;
            }
            NDArray skip = skipWeight == null ? x : Layers.conv(x, skipWeight, skipBias, stride);
            NDArray out = h.add(skip);
            h.close();
            closeUnless(skip, x);
            return out;
        }

        List<NDArray> parameters() {
            List<NDArray> all = new ArrayList<>();
            units.forEach(u -> all.addAll(u.parameters()));
            if (skipWeight != null) {
                all.addAll(List.of(skipWeight, skipBias));
            }
            return all;
        }
    }

    /**
     * The whole network as tape segments: down units (each pushing its output, which waits as the skip), the bottom
     * unit, then per level a merge that pops the skip and the deeper output and pushes the upsampled refinement.
     * Taps (when {@code tapLevel} > 0) after the encoder's and the decoder's outputs at 2^−tapLevel resolution.
     */
    static void segments(Parameters p, NetworkConfig config, List<Segment> segments, int tapLevel) {
        List<Integer> widths = config.widths();
        int levels = widths.size();
        if (levels < 2) {
            throw new IllegalArgumentException("a strided U-Net needs 2 or more widths (MONAI's channels): the last "
                    + "is the bottom unit's");
        }
        int units = config.blocksPerLevel();
        for (int i = 0; i + 1 < levels; i++) {
            ResidualUnit down = ResidualUnit.create(p, "down" + i, config, i == 0 ? config.inputChannels()
                    : widths.get(i - 1), widths.get(i), 2, units, false);
            segments.add(i == 0 ? Segment.Plain.onTop(down::apply, down.parameters()) : push(down));
            if (i + 1 == tapLevel) {
                segments.add(new Segment.Tap());
            }
        }
        segments.add(push(ResidualUnit.create(p, "bottom", config, widths.get(levels - 2), widths.get(levels - 1), 1,
                units, false)));
        if (config.vae()) {
            segments.add(new Segment.Tap());
        }
        for (int i = levels - 2; i >= 0; i--) {
            int in = widths.get(i) + widths.get(i + 1 == levels - 1 ? i + 1 : i);
            int out = i == 0 ? config.classes() : widths.get(i - 1);
            ConvUnit up = ConvUnit.create(p, "up" + i + ".transposed", config, in, out, 2, true, false);
            ResidualUnit refine = ResidualUnit.create(p, "up" + i + ".refine", config, out, out, 1, 1, i == 0);
            List<NDArray> parameters = new ArrayList<>(up.parameters());
            parameters.addAll(refine.parameters());
            segments.add(new Segment.Plain(stack -> {
                List<NDArray> next = new ArrayList<>(stack);
                NDArray deeper = next.remove(next.size() - 1);
                NDArray skip = next.remove(next.size() - 1);
                NDArray joined = skip.concat(deeper, 1);
                NDArray upsampled = up.apply(joined);
                joined.close();
                next.add(refine.apply(upsampled));
                upsampled.close();
                return next;
            }, parameters));
            if (i == tapLevel) {
                segments.add(new Segment.Tap());
            }
        }
    }

    private static void closeUnless(NDArray array, NDArray kept) {
        if (array != kept) {
            array.close();
        }
    }

    private static Segment push(ResidualUnit unit) {
        return new Segment.Plain(stack -> {
            List<NDArray> next = new ArrayList<>(stack);
            next.add(unit.apply(stack.get(stack.size() - 1)));
            return next;
        }, unit.parameters());
    }
}

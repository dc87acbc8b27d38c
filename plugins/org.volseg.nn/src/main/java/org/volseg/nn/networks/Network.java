package org.volseg.nn.networks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.volseg.nn.engine.GradMode;
import org.volseg.nn.engine.NamedArrays;
import org.volseg.nn.engines.Segment;
import org.volseg.nn.engines.SegmentTape;
import org.volseg.nn.invertible.AdditiveCoupling;
import org.volseg.nn.invertible.ChainStep;
import org.volseg.nn.invertible.HouseholderMixing;
import org.volseg.nn.invertible.Inverted;
import org.volseg.nn.invertible.Residual;
import org.volseg.nn.invertible.ReversibleSequence;
import org.volseg.nn.invertible.SkipMerge;
import org.volseg.nn.invertible.SkipSplit;
import org.volseg.nn.invertible.Squeeze;
import org.volseg.nn.losses.SegmentationLosses;

/**
 * A segmenter built from a {@link NetworkConfig}: its segments for the {@link SegmentTape} (stem, levels,
 * down/upsampling, head) and, when configured, the VAE branch fed from a tap at the bottleneck. Training steps
 * use the memory-saving backward for every invertible segment; prediction runs the segments without a graph.
 */
public final class Network implements org.volseg.nn.engines.Trainable {

    /** Weight of the VAE's L2 and KL terms (Myronenko's 0.1 each). */
    public static final double VAE_WEIGHT = 0.1;
    /** Householder reflections per learned channel mixing. */
    static final int REFLECTIONS = 8;

    private final NetworkConfig config;
    private final SegmentTape tape;
    private final VaeBranch vae;
    private final List<NDArray> parameters;
    private final boolean featureTaps;
    /** The last layer where it is a 1×1×1 unit (every architecture but the strided U-Net), else null. */
    private final Layers.Unit head;
    /** Every segment but {@link #head}'s, where there is one. */
    private final SegmentTape body;

    private Network(NetworkConfig config, SegmentTape tape, VaeBranch vae, List<NDArray> parameters,
            boolean featureTaps, Layers.Unit head) {
        this.config = config;
        this.tape = tape;
        this.vae = vae;
        this.parameters = parameters;
        this.featureTaps = featureTaps;
        this.head = head;
        List<Segment> segments = tape.segments();
        this.body = head == null ? null : new SegmentTape(segments.subList(0, segments.size() - 1));
    }

    /**
     * A network's logits and its two feature taps at {@link NetworkConfig#featureLevel()}: the encoder's output
     * there (shallow) and the decoder's (deep), as distillation compares them.
     */
    public record Features(NDArray logits, NDArray shallow, NDArray deep) {
    }

    /** A freshly initialised float32 network; the same seed gives the same weights anywhere. */
    public static Network build(NetworkConfig config, NDManager manager, long seed) {
        return build(config, manager, seed, DataType.FLOAT32);
    }

    /** A freshly initialised network of the given precision (float64 for gradient checks). */
    public static Network build(NetworkConfig config, NDManager manager, long seed, DataType type) {
        return build(config, manager, seed, type, false);
    }

    /**
     * A float32 network that also hands out its feature taps ({@link #features}, {@link #step(NDArray,
     * SegmentTape.Loss)}): the same parameters, names and outputs as without them.
     */
    public static Network withFeatureTaps(NetworkConfig config, NDManager manager, long seed) {
        return withFeatureTaps(config, manager, seed, DataType.FLOAT32);
    }

    /** {@link #withFeatureTaps(NetworkConfig, NDManager, long)} of the given precision (float64 for checks). */
    public static Network withFeatureTaps(NetworkConfig config, NDManager manager, long seed, DataType type) {
        return build(config, manager, seed, type, true);
    }

    private static Network build(NetworkConfig config, NDManager manager, long seed, DataType type,
            boolean featureTaps) {
        if (featureTaps && config.vae()) {
            throw new IllegalArgumentException("feature taps are for distillation, which trains no VAE branch; "
                    + "build the network without the VAE");
        }
        int tapLevel = featureTaps ? config.featureLevel() : -1;
        Parameters p = new Parameters(manager, seed, type);
        List<Integer> widths = config.levelWidths();
        int levels = config.levels();
        List<Segment> segments = new ArrayList<>();
        Layers.Unit head = null;
        if (config.architecture() == Architecture.STRIDED_UNET3D) {
            StridedUNet.segments(p, config, segments, tapLevel);
        } else {
            Layers.Unit stem = new Layers.Unit(NetworkConfig.Norm.NONE, config.activation(), null, null, null,
                    p.kernel("stem.weight", widths.get(0), config.inputChannels(), 3, 1),
                    p.zeros("stem.bias", new Shape(widths.get(0))));
            segments.add(Segment.Plain.onTop(x -> Layers.conv(x, stem.weight(), stem.bias()), stem.parameters()));
            if (config.architecture() == Architecture.FULLY_INVRES) {
                fullyInvertibleCore(p, config, segments, tapLevel);
            } else {
                uNetCore(p, config, segments, tapLevel);
            }
            head = Layers.Unit.create(p, "head", config, widths.get(0), config.classes(), 1, 1);
            segments.add(Segment.Plain.onTop(head::apply, head.parameters()));
        }
        VaeBranch vae = config.vae() ? new VaeBranch(p, config, widths.get(levels - 1)) : null;
        return new Network(config, new SegmentTape(segments), vae, p.all(), featureTaps, head);
    }

    /**
     * Stem → [blocks, pool + 1×1 conv] per level → [1×1 conv + trilinear ×2, add skip, blocks] per level; taps
     * after the encoder's and the decoder's blocks of level {@code tapLevel} (none when −1).
     */
    private static void uNetCore(Parameters p, NetworkConfig config, List<Segment> segments, int tapLevel) {
        List<Integer> widths = config.levelWidths();
        int levels = config.levels();
        for (int i = 0; i < levels; i++) {
            segments.add(blocks(p, config, "encoder" + i, widths.get(i)));
            if (i == tapLevel) {
                segments.add(new Segment.Tap());
            }
            if (i + 1 < levels) {
                NDArray w = p.kernel("down" + i + ".weight", widths.get(i + 1), widths.get(i), 1, 1);
                NDArray b = p.zeros("down" + i + ".bias", new Shape(widths.get(i + 1)));
                // the level's output stays on the stack as the skip; its pooled projection goes on top
                segments.add(new Segment.Plain(stack -> {
                    List<NDArray> out = new ArrayList<>(stack);
                    out.add(Layers.conv(Layers.maxPool(stack.get(stack.size() - 1)), w, b));
                    return out;
                }, List.of(w, b)));
            }
        }
        if (config.vae()) {
            segments.add(new Segment.Tap());
        }
        for (int i = levels - 2; i >= 0; i--) {
            NDArray w = p.kernel("up" + i + ".weight", widths.get(i), widths.get(i + 1), 1, 1);
            NDArray b = p.zeros("up" + i + ".bias", new Shape(widths.get(i)));
            // Brügger's merge: project, upsample, add to the skip (no concatenation, so widths stay)
            segments.add(new Segment.Plain(stack -> {
                List<NDArray> out = new ArrayList<>(stack);
                NDArray below = out.remove(out.size() - 1);
                NDArray skip = out.remove(out.size() - 1);
                out.add(skip.add(Layers.upsample(Layers.conv(below, w, b))));
                return out;
            }, List.of(w, b)));
            segments.add(blocks(p, config, "decoder" + i, widths.get(i)));
            if (i == tapLevel) {
                segments.add(new Segment.Tap());
            }
        }
    }

    /**
     * A level's blocks: residual (UNet3d: two 3×3×3 units; Mobile: an inverted residual) or additive couplings run
     * reversibly (InvRes).
     */
    private static Segment blocks(Parameters p, NetworkConfig config, String name, int channels) {
        if (config.architecture() == Architecture.UNET3D || config.architecture() == Architecture.MOBILE_UNET3D) {
            List<Residual> bodies = new ArrayList<>();
            List<NDArray> params = new ArrayList<>();
            for (int k = 0; k < config.blocksPerLevel(); k++) {
                String block = name + ".block" + k;
                Residual body = config.architecture() == Architecture.MOBILE_UNET3D
                        ? Layers.InvertedResidual.create(p, block, config, channels)
                        : twoUnits(Layers.Unit.create(p, block + ".a", config, channels, channels, 3, 1),
                                Layers.Unit.create(p, block + ".b", config, channels, channels, 3, 1));
                bodies.add(body);
                params.addAll(body.parameters());
            }
            return Segment.Plain.onTop(x -> {
                NDArray h = x;
                for (Residual body : bodies) {
                    h = h.add(body.apply(h));
                }
                return h;
            }, params);
        }
        return new Segment.Reversible(new ReversibleSequence(couplings(p, config, name, channels)));
    }

    private static Residual twoUnits(Layers.Unit a, Layers.Unit b) {
        return new Residual() {
            @Override
            public NDArray apply(NDArray x) {
                return b.apply(a.apply(x));
            }

            @Override
            public List<NDArray> parameters() {
                List<NDArray> both = new ArrayList<>(a.parameters());
                both.addAll(b.parameters());
                return both;
            }
        };
    }

    private static List<ChainStep> couplings(Parameters p, NetworkConfig config, String name, int channels) {
        List<ChainStep> steps = new ArrayList<>();
        int half = channels / 2;
        for (int k = 0; k < config.blocksPerLevel(); k++) {
            steps.add(new AdditiveCoupling(
                    Layers.Unit.create(p, name + ".block" + k + ".f", config, half, half, 3, 1),
                    Layers.Unit.create(p, name + ".block" + k + ".g", config, half, half, 3, 1)));
        }
        return steps;
    }

    /**
     * iUNets' layout: per level couplings, then the skip code is split off and the rest squeezed (2×2×2 → 8
     * channels) and mixed by a learned orthogonal matrix; the decoder undoes the squeeze with its own mixing,
     * merges the skip back, mixes, and runs couplings. One reversible chain (two around a VAE tap).
     */
    private static void fullyInvertibleCore(Parameters p, NetworkConfig config, List<Segment> segments,
            int tapLevel) {
        List<Integer> widths = config.levelWidths();
        List<Integer> skips = config.skipChannels();
        int levels = config.levels();
        List<ChainStep> encoder = new ArrayList<>();
        for (int i = 0; i < levels; i++) {
            encoder.addAll(couplings(p, config, "encoder" + i, widths.get(i)));
            if (i == tapLevel) {
                // a tap splits the chain: the part so far becomes a segment of its own
                segments.add(new Segment.Reversible(new ReversibleSequence(encoder)));
                segments.add(new Segment.Tap());
                encoder = new ArrayList<>();
            }
            if (i + 1 < levels) {
                encoder.add(new SkipSplit(skips.get(i)));
                encoder.add(new Squeeze());
                encoder.add(mixing(p, "down" + i + ".mixing", widths.get(i + 1)));
            }
        }
        List<ChainStep> decoder = new ArrayList<>();
        for (int i = levels - 2; i >= 0; i--) {
            decoder.add(new Inverted(mixing(p, "up" + i + ".mixing", widths.get(i + 1))));
            decoder.add(new Inverted(new Squeeze()));
            decoder.add(new SkipMerge(skips.get(i)));
            decoder.add(mixing(p, "merge" + i + ".mixing", widths.get(i)));
            decoder.addAll(couplings(p, config, "decoder" + i, widths.get(i)));
            if (i == tapLevel) {
                List<ChainStep> before = new ArrayList<>(encoder);
                before.addAll(decoder);
                segments.add(new Segment.Reversible(new ReversibleSequence(before)));
                segments.add(new Segment.Tap());
                encoder = new ArrayList<>();
                decoder = new ArrayList<>();
            }
        }
        if (config.vae()) {
            segments.add(new Segment.Reversible(new ReversibleSequence(encoder)));
            segments.add(new Segment.Tap());
            segments.add(new Segment.Reversible(new ReversibleSequence(decoder)));
        } else {
            List<ChainStep> all = new ArrayList<>(encoder);
            all.addAll(decoder);
            if (!all.isEmpty()) {
                segments.add(new Segment.Reversible(new ReversibleSequence(all)));
            }
        }
    }

    private static HouseholderMixing mixing(Parameters p, String name, int channels) {
        return new HouseholderMixing(p.normal(name, new Shape(Math.min(REFLECTIONS, channels), channels), 1));
    }

    public NetworkConfig config() {
        return config;
    }

    public SegmentTape tape() {
        return tape;
    }

    @Override
    public int classes() {
        return config.classes();
    }

    /** Every trainable parameter, named, in a fixed order (the VAE's last). */
    @Override
    public List<NDArray> parameters() {
        return parameters;
    }

    /** The parameters a predicting bundle keeps: everything but the VAE branch. */
    public List<NDArray> predictingParameters() {
        return tape.parameters();
    }

    /** Logits N × K × D × H × W of images N × C × D × H × W, without recording a graph. */
    @Override
    public NDArray logits(NDArray image) {
        return tape.predict(image);
    }

    /**
     * Whether the last layer acts on each voxel alone (norm, activation, then a 1×1×1 convolution): then
     * {@link #headInput} and {@link #head} give the logits in two steps, the second on any part of the first's
     * voxels. The strided U-Net's last layers (a transposed convolution and a 3×3×3 refinement) work at the class
     * count: it has no such head.
     */
    public boolean hasPointwiseHead() {
        return head != null;
    }

    /**
     * What the last layer's convolution sees, N × F × D × H × W (F the top level's width), without recording a
     * graph: normalised over the whole window, so only the convolution is left to do per voxel.
     */
    public NDArray headInput(NDArray image) {
        requirePointwiseHead();
        NDManager caller = image.getManager();
        return GradMode.with(false, () -> {
            try (NDManager scope = caller.newSubManager()) {
                NDArray top = body.predict(image);
                top.attach(scope); // freed with the scope once the head's input is made from it
                NDArray in = head.preActivation(top);
                in.attach(caller);
                return in;
            }
        });
    }

    /** The logits of any voxels of {@link #headInput} (N × F × d × h × w → N × K × d × h × w), without a graph. */
    public NDArray head(NDArray headInput) {
        requirePointwiseHead();
        return GradMode.with(false, () -> Layers.conv(headInput, head.weight(), head.bias()));
    }

    private void requirePointwiseHead() {
        if (head == null) {
            throw new IllegalStateException(config.architecture() + " ends in a layer that is not pointwise");
        }
    }

    /** One training step with the memory-saving backward: gradients accumulate, the loss is returned. */
    @Override
    public double step(NDArray image, NDArray oneHot, long stepSeed) {
        return step(image, oneHot, stepSeed, SegmentTape.Backprop.REVERSIBLE);
    }

    /**
     * One training step: Dice + cross-entropy on the segmentation, plus 0.1 · (L2 + KL) of the VAE branch when
     * configured (its noise drawn from {@code stepSeed}).
     */
    public double step(NDArray image, NDArray oneHot, long stepSeed, SegmentTape.Backprop mode) {
        try (NDManager scope = image.getManager().newSubManager()) {
            if (vae != null) {
                vae.parameters().forEach(q -> q.tempAttach(scope));
            }
            return tape.step(List.of(image), (outputs, taps) -> {
                NDArray loss = SegmentationLosses.diceCrossEntropy(outputs.get(outputs.size() - 1), oneHot);
                return vae == null ? loss : loss.add(vae.loss(taps.get(0), image, stepSeed, VAE_WEIGHT).total());
            }, mode);
        }
    }

    /**
     * One training step with a loss of the caller's: it gets the outputs (the logits last) and the taps (shallow
     * and deep features for a network {@link #withFeatureTaps}); gradients accumulate, the loss is returned.
     */
    public double step(NDArray image, SegmentTape.Loss loss) {
        if (vae != null) {
            throw new IllegalStateException("a network with a VAE branch trains with its own loss");
        }
        return tape.step(List.of(image), loss, SegmentTape.Backprop.REVERSIBLE);
    }

    /** Logits and feature taps without recording a graph (for a teacher); needs {@link #withFeatureTaps}. */
    public Features features(NDArray image) {
        if (!featureTaps) {
            throw new IllegalStateException("this network was built without feature taps");
        }
        List<NDArray> taps = new ArrayList<>();
        List<NDArray> out = tape.predict(List.of(image), taps);
        return new Features(out.get(out.size() - 1), taps.get(0), taps.get(1));
    }

    /** Copies parameter values from a list of named arrays (a bundle's or a checkpoint's), checking every shape. */
    public void load(NDList named, boolean withVae) {
        Map<String, NDArray> byName = new HashMap<>();
        for (NDArray a : named) {
            byName.put(a.getName(), a);
        }
        for (NDArray p : withVae ? parameters : predictingParameters()) {
            NDArray source = byName.get(p.getName());
            if (source == null) {
                throw new IllegalArgumentException("the parameters lack " + p.getName() + " of " + config.architecture());
            }
            if (!source.getShape().equals(p.getShape())) {
                throw new IllegalArgumentException("parameter " + p.getName() + " has shape " + source.getShape()
                        + "; the network needs " + p.getShape());
            }
            NamedArrays.copyInto(p, source);
        }
    }

    /** The named parameters (predicting ones, or all) for a bundle or checkpoint. */
    public NDList namedParameters(boolean withVae) {
        return new NDList(withVae ? parameters : predictingParameters());
    }
}

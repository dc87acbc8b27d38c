package org.volseg.nn.distill;

import ai.djl.ndarray.NDArray;
import java.util.function.Function;
import org.volseg.nn.engine.GradMode;
import org.volseg.nn.inferers.PatchPredictor;
import org.volseg.nn.networks.Network;
import org.volseg.nn.networks.NetworkConfig;

/**
 * What distillation asks of a teacher: its logits and, for the graph terms, its feature taps, without a graph. A
 * VolSeg network has both; a TorchScript module (trained elsewhere) has logits only, so it teaches through the
 * logits and adversarial terms alone.
 *
 * @param features logits and taps (null taps for a module without them) of a batch of windows
 * @param network  the network's config, or null for a TorchScript module
 */
public record Teacher(Function<NDArray, Network.Features> features, NetworkConfig network) {

    /** A VolSeg network built {@link Network#withFeatureTaps with feature taps}. */
    public static Teacher of(Network network) {
        return new Teacher(network::features, network.config());
    }

    /** A module that gives logits only (a TorchScript teacher). */
    public static Teacher logitsOnly(PatchPredictor predictor) {
        return new Teacher(x -> new Network.Features(GradMode.with(false, () -> predictor.logits(x)), null, null),
                null);
    }

    /** Whether the teacher has feature taps (the graph terms need them). */
    public boolean hasTaps() {
        return network != null;
    }

    public Network.Features features(NDArray image) {
        return features.apply(image);
    }
}

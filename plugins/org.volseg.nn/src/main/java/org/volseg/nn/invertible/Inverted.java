package org.volseg.nn.invertible;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** A block run backwards: forward is the block's inverse (an upsampling from a downsampling, for example). */
public record Inverted(InvertibleBlock block) implements InvertibleBlock {

    @Override
    public NDArray forward(NDArray x) {
        return block.inverse(x);
    }

    @Override
    public NDArray inverse(NDArray y) {
        return block.forward(y);
    }

    @Override
    public List<NDArray> parameters() {
        return block.parameters();
    }
}

package org.volseg.nn.invertible;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** A shape-preserving function with parameters: the F and G of an additive coupling (never inverted itself). */
public interface Residual {

    NDArray apply(NDArray x);

    List<NDArray> parameters();
}

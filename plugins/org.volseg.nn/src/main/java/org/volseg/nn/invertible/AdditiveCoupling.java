package org.volseg.nn.invertible;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv3d;
import java.util.List;

/**
 * The additive coupling of RevNets and memcnn: split the channels into halves x1, x2;
 * y1 = x1 + F(x2), y2 = x2 + G(y1), so x2 = y2 − G(y1), x1 = y1 − F(x2). F and G are 3×3×3 convolutions
 * followed by a leaky ReLU: any function works, since it is never inverted itself.
 */
public final class AdditiveCoupling implements InvertibleBlock {

    private static final float LEAK = 0.01f;

    private final NDArray weightF;
    private final NDArray biasF;
    private final NDArray weightG;
    private final NDArray biasG;

    /**
     * @param channels even number of channels in and out
     * @param type     float32 or float64
     */
    public AdditiveCoupling(NDManager manager, int channels, DataType type) {
        if (channels % 2 != 0) {
            throw new IllegalArgumentException("additive coupling splits channels in two halves: " + channels
                    + " is odd");
        }
        int half = channels / 2;
        // small weights: each block starts near the identity, as residual blocks do
        double scale = 0.1 * Math.sqrt(2.0 / (half * 27));
        Shape kernel = new Shape(half, half, 3, 3, 3);
        weightF = parameter(manager.randomNormal(0, (float) scale, kernel, DataType.FLOAT32).toType(type, false));
        biasF = parameter(manager.zeros(new Shape(half), type));
        weightG = parameter(manager.randomNormal(0, (float) scale, kernel, DataType.FLOAT32).toType(type, false));
        biasG = parameter(manager.zeros(new Shape(half), type));
    }

    private static NDArray parameter(NDArray array) {
        array.setRequiresGradient(true);
        return array;
    }

    private static NDArray residual(NDArray x, NDArray weight, NDArray bias) {
        NDArray conv = Conv3d.conv3d(x, weight, bias, new Shape(1, 1, 1), new Shape(1, 1, 1)).singletonOrThrow();
        return conv.maximum(conv.mul(LEAK));
    }

    @Override
    public NDArray forward(NDArray x) {
        NDList halves = x.split(2, 1);
        NDArray y1 = halves.get(0).add(residual(halves.get(1), weightF, biasF));
        NDArray y2 = halves.get(1).add(residual(y1, weightG, biasG));
        return y1.concat(y2, 1);
    }

    @Override
    public NDArray inverse(NDArray y) {
        NDList halves = y.split(2, 1);
        NDArray x2 = halves.get(1).sub(residual(halves.get(0), weightG, biasG));
        NDArray x1 = halves.get(0).sub(residual(x2, weightF, biasF));
        return x1.concat(x2, 1);
    }

    @Override
    public List<NDArray> parameters() {
        return List.of(weightF, biasF, weightG, biasG);
    }
}

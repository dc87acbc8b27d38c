package org.volseg.nn.invertible;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.volseg.nn.engine.Convolution;

/**
 * The additive coupling of RevNets and memcnn: split the channels into halves x1, x2;
 * y1 = x1 + F(x2), y2 = x2 + G(y1), so x2 = y2 − G(y1), x1 = y1 − F(x2). F and G can be any shape-preserving
 * functions, since they are never inverted themselves (the networks use norm → activation → 3×3×3 convolution).
 */
public final class AdditiveCoupling implements InvertibleBlock {

    private static final float LEAK = 0.01f;

    private final Residual f;
    private final Residual g;

    /** A coupling with the given F and G (each maps C/2 channels to C/2 channels). */
    public AdditiveCoupling(Residual f, Residual g) {
        this.f = f;
        this.g = g;
    }

    /**
     * @param channels even number of channels in and out
     * @param type     float32 or float64
     */
    public AdditiveCoupling(NDManager manager, int channels, DataType type) {
        this(convolution(manager, channels, type), convolution(manager, channels, type));
    }

    /** A 3×3×3 convolution and a leaky ReLU on half the channels, with small weights. */
    private static Residual convolution(NDManager manager, int channels, DataType type) {
        if (channels % 2 != 0) {
            throw new IllegalArgumentException("additive coupling splits channels in two halves: " + channels
                    + " is odd");
        }
        int half = channels / 2;
        // small weights: each block starts near the identity, as residual blocks do
        double scale = 0.1 * Math.sqrt(2.0 / (half * 27));
        Shape kernel = new Shape(half, half, 3, 3, 3);
        NDArray weight = parameter(manager.randomNormal(0, (float) scale, kernel, DataType.FLOAT32)
                .toType(type, false));
        NDArray bias = parameter(manager.zeros(new Shape(half), type));
        return new Residual() {
            @Override
            public NDArray apply(NDArray x) {
                NDArray conv = Convolution.conv3d(x, weight, bias, 1);
                return ai.djl.nn.Activation.leakyRelu(conv, LEAK);
            }

            @Override
            public List<NDArray> parameters() {
                return List.of(weight, bias);
            }
        };
    }

    private static NDArray parameter(NDArray array) {
        array.setRequiresGradient(true);
        return array;
    }

    @Override
    public NDArray forward(NDArray x) {
        NDList halves = x.split(2, 1);
        NDArray y1 = halves.get(0).add(f.apply(halves.get(1)));
        NDArray y2 = halves.get(1).add(g.apply(y1));
        return y1.concat(y2, 1);
    }

    @Override
    public NDArray inverse(NDArray y) {
        NDList halves = y.split(2, 1);
        NDArray x2 = halves.get(1).sub(g.apply(halves.get(0)));
        NDArray x1 = halves.get(0).sub(f.apply(x2));
        return x1.concat(x2, 1);
    }

    @Override
    public List<NDArray> parameters() {
        List<NDArray> all = new java.util.ArrayList<>(f.parameters());
        all.addAll(g.parameters());
        return all;
    }
}

package org.volseg.nn.invertible;

import org.volseg.nn.engine.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv3d;
import java.util.List;

/**
 * A learned invertible 1×1×1 channel mixing whose matrix is orthogonal by construction: a product of Householder
 * reflections W = Π (I − 2 v vᵀ / vᵀv). Its inverse is Wᵀ, exact and cheap; its log-determinant is 0.
 */
public final class HouseholderMixing implements InvertibleBlock {

    private final int channels;
    private final NDArray vectors;

    /** @param reflections how many reflections (the channel count gives every orthogonal matrix) */
    public HouseholderMixing(NDManager manager, int channels, int reflections, DataType type) {
        this(manager.randomNormal(0, 1, new Shape(reflections, channels), DataType.FLOAT32).toType(type, false));
        vectors.setRequiresGradient(true);
    }

    /** @param vectors the reflections' vectors, R × C, a trainable parameter (gradient attached by the caller) */
    public HouseholderMixing(NDArray vectors) {
        this.channels = (int) vectors.getShape().get(1);
        this.vectors = vectors;
    }

    /**
     * The C × C orthogonal matrix, built in {@code manager} (the caller's scope): arrays made from the parameters
     * would otherwise land in the parameters' own manager and live as long as the model.
     */
    NDArray matrix(NDManager manager) {
        NDArray w = manager.eye(channels).toType(vectors.getDataType(), false);
        for (int k = 0; k < vectors.getShape().get(0); k++) {
            NDArray row = vectors.get(k);
            row.attach(manager);
            NDArray v = row.reshape(channels, 1);
            NDArray reflection = manager.eye(channels).toType(vectors.getDataType(), false)
                    .sub(Scalars.times(v.matMul(v.transpose()), 2).div(v.transpose().matMul(v)));
            w = w.matMul(reflection);
        }
        return w;
    }

    private static NDArray mix(NDArray x, NDArray w) {
        long c = w.getShape().get(0);
        return Conv3d.conv3d(x, w.reshape(c, c, 1, 1, 1)).singletonOrThrow();
    }

    @Override
    public NDArray forward(NDArray x) {
        return mix(x, matrix(x.getManager()));
    }

    @Override
    public NDArray inverse(NDArray y) {
        return mix(y, matrix(y.getManager()).transpose());
    }

    @Override
    public List<NDArray> parameters() {
        return List.of(vectors);
    }
}

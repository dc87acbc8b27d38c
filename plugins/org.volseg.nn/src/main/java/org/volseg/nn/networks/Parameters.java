package org.volseg.nn.networks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Creates a network's named parameters from a Java random generator, so that a seed gives the same initial
 * weights on every machine and engine, whatever else used PyTorch's generator before.
 */
public final class Parameters {

    private final NDManager manager;
    private final SplittableRandom random;
    private final DataType type;
    private final List<NDArray> all = new ArrayList<>();

    public Parameters(NDManager manager, long seed, DataType type) {
        this.manager = manager;
        this.random = new SplittableRandom(seed);
        this.type = type;
    }

    /** A k×k×k convolution kernel (out × in × k × k × k), He-normal scaled by {@code gain}. */
    public NDArray kernel(String name, int out, int in, int k, double gain) {
        return normal(name, new Shape(out, in, k, k, k), gain * Math.sqrt(2.0 / (in * k * k * k)));
    }

    /** A dense weight (in × out), He-normal. */
    public NDArray dense(String name, int in, int out) {
        return normal(name, new Shape(in, out), Math.sqrt(2.0 / in));
    }

    public NDArray normal(String name, Shape shape, double std) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (std * random.nextGaussian());
        }
        return register(name, manager.create(values, shape));
    }

    public NDArray zeros(String name, Shape shape) {
        return register(name, manager.zeros(shape));
    }

    public NDArray ones(String name, Shape shape) {
        return register(name, manager.ones(shape));
    }

    /** Values uniform in [−bound, bound] (PyTorch's default initialisation of convolutions and linear layers). */
    public NDArray uniform(String name, Shape shape, double bound) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (bound * (2 * random.nextDouble() - 1));
        }
        return register(name, manager.create(values, shape));
    }

    /** Given values. */
    public NDArray constant(String name, double[] values) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return register(name, manager.create(floats));
    }

    private NDArray register(String name, NDArray value) {
        NDArray p = value.toType(type, false);
        p.setName(name);
        p.setRequiresGradient(true);
        all.add(p);
        return p;
    }

    public List<NDArray> all() {
        return List.copyOf(all);
    }
}

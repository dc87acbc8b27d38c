package org.volseg.nn.engines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.volseg.nn.engine.GradMode;

/** Helpers the optimizers share: parameter names, state arrays by name, copies without autograd. */
final class OptimizerState {

    static final String STEP = "step";

    private OptimizerState() {
    }

    /** Each parameter's name, or {@code #i} for unnamed ones; duplicates are refused, as states go by name. */
    static List<String> names(List<NDArray> parameters) {
        List<String> names = new ArrayList<>(parameters.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < parameters.size(); i++) {
            String name = parameters.get(i).getName();
            if (name == null || name.isEmpty()) {
                name = "#" + i;
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("two parameters are named '" + name
                        + "': an optimizer's state is saved by parameter name");
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    /** A named copy of {@code source} in {@code source}'s manager. */
    static NDArray copy(NDArray source, String name) {
        NDArray copy = GradMode.with(false, source::duplicate);
        copy.setName(name);
        return copy;
    }

    /** The step count as a named one-element int64 array. */
    static NDArray steps(NDManager manager, long steps) {
        NDArray array = manager.create(new long[] {steps});
        array.setName(STEP);
        return array;
    }

    /** The array of {@code state} named {@code name}. */
    static NDArray find(NDList state, String name) {
        for (NDArray a : state) {
            if (name.equals(a.getName())) {
                return a;
            }
        }
        throw new IllegalArgumentException("the optimizer state has no array named '" + name + "'");
    }

    /** The step count stored by {@link #steps}. */
    static long steps(NDList state) {
        NDArray a = find(state, STEP);
        if (a.getDataType() != DataType.INT64 || a.getShape().size() != 1) {
            throw new IllegalArgumentException("the optimizer state's step count is " + a.getDataType() + " "
                    + a.getShape() + "; expected one int64");
        }
        long steps = a.toLongArray()[0];
        if (steps < 0) {
            throw new IllegalArgumentException("the optimizer state's step count is negative: " + steps);
        }
        return steps;
    }

    /** The array of {@code state} named {@code name}, checked to fit {@code target}'s shape and type. */
    static NDArray matching(NDList state, String name, NDArray target) {
        NDArray source = find(state, name);
        Shape shape = target.getShape();
        if (!source.getShape().equals(shape) || source.getDataType() != target.getDataType()) {
            throw new IllegalArgumentException("the optimizer state's '" + name + "' is " + source.getDataType()
                    + " " + source.getShape() + "; expected " + target.getDataType() + " " + shape);
        }
        return source;
    }
}

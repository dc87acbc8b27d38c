package org.volseg.nn.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/** Arrays that travel by name (a network's state, a checkpoint's entries) and their copying into place. */
public final class NamedArrays {

    private NamedArrays() {
    }

    /**
     * Copies of {@code arrays} attached to {@code manager}, each under its original's name, so they outlive the
     * originals' manager.
     */
    public static NDList copies(Iterable<NDArray> arrays, NDManager manager) {
        NDList copies = new NDList();
        for (NDArray a : arrays) {
            NDArray copy = a.duplicate();
            copy.attach(manager);
            copy.setName(a.getName());
            copies.add(copy);
        }
        return copies;
    }

    /**
     * Overwrites {@code target}'s values (a parameter or optimizer slot, which may require gradients) with
     * {@code source}'s, converted to its type: in place, unrecorded, into the target's own PyTorch-allocated storage.
     * DJL's copy from a buffer would re-point the target at a Java direct buffer, and makes PyTorch print a warning
     * about a deprecated mode ("AutoNonVariableTypeMode … silent wrong result") once a process.
     */
    public static void copyInto(NDArray target, NDArray source) {
        GradMode.with(false, () -> {
            boolean same = source.getDataType() == target.getDataType();
            NDArray values = same ? source : source.toType(target.getDataType(), true);
            target.set(new NDIndex("..."), values); // "...": every axis, none for a scalar
            if (!same) {
                values.close();
            }
            return null;
        });
    }
}

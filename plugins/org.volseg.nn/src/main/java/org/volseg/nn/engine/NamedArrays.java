package org.volseg.nn.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/** Arrays that travel by name: a network's state, a checkpoint's entries. */
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
}

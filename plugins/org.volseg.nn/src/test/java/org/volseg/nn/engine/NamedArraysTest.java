package org.volseg.nn.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class NamedArraysTest {

    @Test
    void copyIntoOverwritesAParameterOfAnyRankInPlaceConvertedAndStillTrainable() {
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                for (Shape shape : new Shape[] {new Shape(), new Shape(2, 3, 4)}) {
                    NDArray target = m.zeros(shape, DataType.FLOAT32);
                    target.setRequiresGradient(true);
                    NDArray source = m.arange(0, (int) shape.size(), 1, DataType.FLOAT64).add(0.5).reshape(shape);
                    NamedArrays.copyInto(target, source);
                    assertThat(target.getDataType()).isEqualTo(DataType.FLOAT32);
                    assertThat(target.getShape()).isEqualTo(shape);
                    assertThat(target.toFloatArray()).as("rank %d", shape.dimension())
                            .containsExactly(source.toType(DataType.FLOAT32, true).toFloatArray());
                    assertThat(target.hasGradient()).as("still a parameter").isTrue();
                    assertThat(source.getDataType()).as("the source is left as it is").isEqualTo(DataType.FLOAT64);
                }
            }
            return null;
        });
    }
}

package org.volseg.nn.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The device setting: every form it reads, what it refuses, and that training takes one device. */
class ComputeTest {

    @Test
    void readsEveryFormAndWritesItBack() {
        for (String text : List.of("auto", "cpu", "gpu", "gpu:2", "gpu:0,1", "gpu:3,1,2")) {
            assertThat(Compute.parse(text).toString()).isEqualTo(text);
        }
        assertThat(Compute.parse("")).isEqualTo(Compute.AUTO);
        assertThat(Compute.parse(" GPU:0, 1 ").gpus()).containsExactly(0, 1);
        assertThat(Compute.parse("gpu:0").toString()).isEqualTo("gpu");
        assertThat(Compute.parse("gpu:3,1").gpu()).isEqualTo(3);
        assertThat(Compute.parse("gpu:0,1").isSpread()).isTrue();
        assertThat(Compute.parse("gpu:1").isSpread()).isFalse();
    }

    @Test
    void refusesWhatItCannotRead() {
        assertThatThrownBy(() -> Compute.parse("gpu:1,1")).hasMessageContaining("names GPU 1 twice");
        assertThatThrownBy(() -> Compute.parse("cuda")).hasMessageContaining("auto, cpu, gpu, gpu:N or gpu:N,M");
        assertThatThrownBy(() -> Compute.parse("gpu:0,")).hasMessageContaining("\"gpu:0,\"");
    }

    @Test
    void trainingTakesOneDeviceAndTheCpuIsAlwaysThere() {
        assertThatThrownBy(() -> Compute.parse("gpu:0,1").resolveOne()).hasMessageContaining("names 2 GPUs")
                .hasMessageContaining("training runs on one device");
        assertThat(Compute.CPU.resolve().devices()).containsExactly(Device.cpu());
        assertThat(Compute.CPU.resolveOne().device()).isEqualTo(Device.cpu());
    }
}

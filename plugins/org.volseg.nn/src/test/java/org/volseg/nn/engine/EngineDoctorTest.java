package org.volseg.nn.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EngineDoctorTest {

    @Test
    void startsPyTorchOfflineAndRunsAConv3d() {
        EngineReport report = EngineDoctor.diagnose();

        assertThat(report.engineName()).isEqualTo("PyTorch");
        assertThat(report.engineVersion()).isEqualTo("2.7.1");
        assertThat(report.djlVersion()).isEqualTo("0.35.1");
        assertThat(report.offline()).isTrue();
        assertThat(report.cpuThreads()).isPositive();
        assertThat(report.gpuNote()).isNotBlank();
        assertThat(report.conv3d().outputShape()).isEqualTo("(1, 1, 2, 2, 2)");
        assertThat(report.conv3d().sum()).isEqualTo(216.0);
        assertThat(report.conv3d().ok()).isTrue();
    }
}

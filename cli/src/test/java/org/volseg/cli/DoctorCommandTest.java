package org.volseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DoctorCommandTest {

    private static String run(int expectedExit, String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = VolSeg.commandLine();
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute(args)).isEqualTo(expectedExit);
        return out.toString();
    }

    @Test
    void doctorReportsEngineOfflineAndData() {
        String report = run(0, "doctor");

        assertThat(report)
                .containsPattern("java:\\s+17")
                .containsPattern("engine:\\s+PyTorch 2\\.7\\.1")
                .containsPattern("offline:\\s+yes")
                .containsPattern("gpu:\\s+\\S")
                .containsPattern("cpu threads:\\s+\\d+")
                .containsPattern("conv3d:\\s+ok")
                .contains("data mricron-data:")
                .contains("VolSeg is ready.");
    }

    @Test
    void versionNamesTheBuiltVersions() {
        assertThat(run(0, "--version")).startsWith("volseg 0.1.0").contains("DJL 0.35.1", "PyTorch 2.7.1");
    }
}

package org.volseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ArchitecturesCommandTest {

    @Test
    void listsEveryPresetWithItsParameterCount() {
        StringWriter out = new StringWriter();
        CommandLine cli = VolSeg.commandLine();
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("architectures")).isZero();
        String table = out.toString();
        assertThat(table.lines().skip(1)).hasSize(6 + 2 + 1 + 10);
        assertThat(table).containsPattern("unet3d\\s+InvRes\\s+[\\d,]+")
                .containsPattern("mobile-unet3d-student\\s+Graph Flow\\s+84,500")
                .containsPattern("fully-invres\\+vae\\s+InvRes")
                .containsPattern("strided-unet3d\\s+baseline\\s+4,807,482")
                .containsPattern("o-net-brats\\s+OSS-Net\\s+6,890,753")
                .containsPattern("oss-net-d-brats\\s+OSS-Net\\s+8,704,653")
                .containsPattern("oss-net-c-lits\\s+OSS-Net\\s+10,866,490");
    }
}

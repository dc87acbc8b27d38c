package org.volseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.core.io.NiftiWriter;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.Volume;
import org.volseg.ops.Operations;
import picocli.CommandLine;

class OperationCommandsTest {

    @TempDir
    Path dir;

    private String[] run(int expectedExit, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = VolSeg.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute(args)).as(err.toString()).isEqualTo(expectedExit);
        return new String[] {out.toString(), err.toString()};
    }

    @Test
    void everyOperationIsASubCommandWhoseHelpIsTheNodeDescription() {
        for (var operation : Operations.all()) {
            String help = run(0, operation.id(), "--help")[0];
            assertThat(help).contains(operation.summary().substring(0, 40));
            operation.schema().settings().forEach(s -> assertThat(help).contains(s.option()));
        }
    }

    @Test
    void volumeReaderWritesItsTableAndReportsProgress() throws Exception {
        NiftiWriter.write(dir.resolve("data/imagesTr/c1_0000.nii.gz"), Volume.zeros(Geometry.of(3, 3, 3, 1, 1, 1),
                1), NiftiWriter.Options.defaults());
        String[] outErr = run(0, "volume-reader", "--path", dir.resolve("data").toString(), "--out",
                dir.resolve("out").toString());
        Path table = dir.resolve("out/volume-reader-volumes.csv");
        assertThat(outErr[0]).contains("wrote " + table + " (1 rows)");
        assertThat(outErr[1]).contains("[100%] 1 cases");
        assertThat(Files.readAllLines(table).get(0)).startsWith("case_id,images,label,channels");
    }

    @Test
    void aBadSettingIsOneSentenceAndExit2() {
        String err = run(2, "volume-reader", "--path", dir.toString(), "--source", "xnat")[1];
        assertThat(err.strip()).isEqualTo(
                "volseg volume-reader: Dataset description (source) is 'xnat'; allowed: folder, csv or msd");
    }
}

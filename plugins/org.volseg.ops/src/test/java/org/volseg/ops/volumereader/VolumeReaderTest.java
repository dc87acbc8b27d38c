package org.volseg.ops.volumereader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.core.data.Case;
import org.volseg.core.io.NiftiWriter;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.Volume;
import org.volseg.ops.api.InvalidSettingsException;
import org.volseg.ops.api.Progress;
import org.volseg.ops.api.Table;
import org.volseg.ops.api.TableFiles;
import org.volseg.ops.api.VolumeTable;

class VolumeReaderTest {

    @TempDir
    Path dir;

    private final VolumeReader reader = new VolumeReader();

    private void write(String relative, Geometry g, int channels) throws Exception {
        NiftiWriter.write(dir.resolve(relative), Volume.zeros(g, channels), NiftiWriter.Options.defaults());
    }

    @Test
    void listsCasesWithFilesAndGeometry() throws Exception {
        Geometry g = Geometry.of(6, 5, 4, 0.5, 0.5, 2);
        write("imagesTr/p1_0000.nii.gz", g, 1);
        write("imagesTr/p1_0001.nii.gz", g, 1);
        write("labelsTr/p1.nii.gz", g, 1);
        write("imagesTr/p2_0000.nii.gz", g, 1);
        write("imagesTr/p2_0001.nii.gz", g, 1);
        VolumeReaderSettings settings = reader.schema().parse(Map.of("path", dir.toString()));

        Table table = (Table) reader.execute(settings, List.of(), Progress.silent()).get(0);

        assertThat(table.rows()).hasSize(2);
        assertThat(table.cell(0, "case_id")).isEqualTo("p1");
        assertThat(table.cell(0, "channels")).isEqualTo(2);
        assertThat(table.cell(0, "nz")).isEqualTo(4);
        assertThat(table.cell(0, "spacing_z")).isEqualTo(2.0);
        assertThat(table.cell(0, "orientation")).isEqualTo("RAS");
        assertThat(table.cell(1, "label")).isNull();
        List<Case> cases = VolumeTable.cases(table);
        assertThat(cases.get(0).images()).hasSize(2);
        assertThat(cases.get(1).labeled()).isFalse();

        Path csv = dir.resolve("volumes.csv");
        TableFiles.write(table, csv);
        assertThat(TableFiles.read(csv, VolumeTable.SPEC)).isEqualTo(table);
    }

    @Test
    void withoutAPathConfigureSaysWhatToSet() {
        assertThatThrownBy(() -> reader.configure(reader.schema().defaults(), List.of()))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageStartingWith("Folder or manifest (path) is not set");
    }

    @Test
    void cancellingStopsBeforeTheNextCase() throws Exception {
        write("imagesTr/a_0000.nii.gz", Geometry.of(2, 2, 2, 1, 1, 1), 1);
        VolumeReaderSettings settings = reader.schema().parse(Map.of("path", dir.toString()));
        Progress cancelled = new Progress() {
            @Override
            public void report(double fraction, String message) {
            }

            @Override
            public void checkCanceled() throws CanceledException {
                throw new CanceledException();
            }

            @Override
            public void warn(String message) {
            }
        };
        assertThatThrownBy(() -> reader.execute(settings, List.of(), cancelled))
                .isInstanceOf(Progress.CanceledException.class);
    }
}

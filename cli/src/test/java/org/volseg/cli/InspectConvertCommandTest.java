package org.volseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.core.io.NiftiDatatype;
import org.volseg.core.io.NiftiImage;
import org.volseg.core.io.NiftiReader;
import org.volseg.core.io.NiftiWriter;
import org.volseg.core.volume.Affine;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.Volume;
import picocli.CommandLine;

class InspectConvertCommandTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = VolSeg.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path sample() throws Exception {
        Geometry lsa = new Geometry(5, 4, 3, Affine.of(-2, 0, 0, 10, 0, 0, -3, 20, 0, 2, 0, -30, 0, 0, 0, 1));
        Volume v = Volume.zeros(lsa, 1);
        for (int i = 0; i < v.channel(0).length; i++) {
            v.channel(0)[i] = i * 0.5f;
        }
        v.channel(0)[3] = Float.NaN;
        Path file = dir.resolve("lsa.nii");
        NiftiWriter.write(file, v, NiftiWriter.Options.defaults());
        return file;
    }

    @Test
    void inspectShowsGeometryAffineSourceAndStatistics() throws Exception {
        Run r = run("inspect", sample().toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .contains("NIfTI-1, little-endian", "float32", "5 × 4 × 3", "2  2  3 mm", "orientation   LSP")
                .contains("from sform (qform_code 1, sform_code 1)", "-2  0  0  10")
                .contains("min 0, max 29.5", "1 NaN, 0 infinite");
    }

    @Test
    void inspectJsonIsOneObjectWithTheSameFacts() throws Exception {
        Run r = run("inspect", "--json", sample().toString());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("orientation").asText()).isEqualTo("LSP");
        assertThat(json.get("affineSource").asText()).isEqualTo("sform");
        assertThat(json.get("dims").toString()).isEqualTo("[5,4,3]");
        assertThat(json.get("statistics").get("nan").asInt()).isEqualTo(1);
    }

    @Test
    void convertChangesFormatAndTypeButKeepsGeometry() throws Exception {
        Path in = sample();
        Path out = dir.resolve("out.nii.gz");
        Run r = run("convert", in.toString(), out.toString(), "--dtype", "int16", "--nifti-version", "2");
        assertThat(r.exit()).as(r.err()).isZero();
        NiftiImage source = NiftiReader.read(in);
        NiftiImage converted = NiftiReader.read(out);
        assertThat(converted.header().version()).isEqualTo(2);
        assertThat(converted.header().datatype()).isEqualTo(NiftiDatatype.INT16);
        assertThat(converted.volume().geometry().sameGrid(source.volume().geometry(), 1e-6)).isTrue();
        assertThat(converted.volume().channel(0)[10]).isCloseTo(5f, org.assertj.core.data.Offset.offset(0.01f));
    }

    @Test
    void convertReorientsKeepingEveryVoxelsWorldPosition() throws Exception {
        Path in = sample();
        Path out = dir.resolve("ras.nii");
        assertThat(run("convert", in.toString(), out.toString(), "--reorient", "RAS").exit()).isZero();
        Volume source = NiftiReader.read(in).volume();
        Volume ras = NiftiReader.read(out).volume();
        assertThat(ras.geometry().orientation()).isEqualTo("RAS");
        // the voxel at a world point holds the same value in both files
        double[] world = source.geometry().voxelToWorld(1, 2, 1);
        double[] v = ras.geometry().worldToVoxel(world[0], world[1], world[2]);
        assertThat(ras.get(0, (int) Math.round(v[0]), (int) Math.round(v[1]), (int) Math.round(v[2])))
                .isEqualTo(source.get(0, 1, 2, 1));
        assertThat(run("convert", in.toString(), dir.resolve("x.nii").toString(), "--reorient", "RAX").exit())
                .isEqualTo(2);
    }

    @Test
    void badInputIsOneSentenceAndExitCode2() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.nii"), "not an image");
        Run r = run("inspect", junk.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("volseg inspect: junk.nii: sizeof_hdr: ").doesNotContain("\n", "at org.");

        Run type = run("convert", junk.toString(), dir.resolve("x.nii").toString(), "--dtype", "complex64");
        assertThat(type.exit()).isEqualTo(2);
        assertThat(type.err()).contains("does not write complex64");
        assertThat(dir.resolve("x.nii")).doesNotExist();
    }
}

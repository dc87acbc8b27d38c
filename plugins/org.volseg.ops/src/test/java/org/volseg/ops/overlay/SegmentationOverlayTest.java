package org.volseg.ops.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.core.io.NiftiWriter;
import org.volseg.core.volume.Affine;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.Volume;
import org.volseg.ops.api.Progress;
import org.volseg.ops.api.Table;
import org.volseg.ops.api.VolumeTable;

class SegmentationOverlayTest {

    private static final int N = 20;

    @TempDir
    Path dir;

    private final SegmentationOverlay overlay = new SegmentationOverlay();

    /** A case whose label is a cube in the patient's right, anterior, superior corner, stored in a given order. */
    private Table caseIn(String name, boolean lps) throws Exception {
        // RAS: voxel index grows to the right; LPS files store x and y reversed with a matching affine
        Affine affine = lps ? Affine.of(-1, 0, 0, N - 1, 0, -1, 0, N - 1, 0, 0, 1, 0, 0, 0, 0, 1)
                : Affine.identity();
        Geometry g = new Geometry(N, N, N, affine);
        Volume image = Volume.zeros(g, 1);
        Volume label = Volume.zeros(g, 1);
        for (int z = 0; z < N; z++) {
            for (int y = 0; y < N; y++) {
                for (int x = 0; x < N; x++) {
                    // world position (RAS mm) of this voxel
                    double[] w = g.voxelToWorld(x, y, z);
                    image.set(0, x, y, z, (float) (w[0] + 2 * w[1] + 3 * w[2]));
                    boolean cube = w[0] >= 14 && w[1] >= 12 && w[2] >= 10 && w[0] < 18 && w[1] < 16 && w[2] < 14;
                    label.set(0, x, y, z, cube ? 2 : 0);
                }
            }
        }
        Path img = dir.resolve(name + "_img.nii");
        Path lab = dir.resolve(name + "_lab.nii");
        NiftiWriter.write(img, image, NiftiWriter.Options.defaults());
        NiftiWriter.write(lab, label, NiftiWriter.Options.defaults());
        return new Table.Builder(VolumeTable.SPEC).add(name, img.toString(), lab.toString(), 1, N, N, N, 1.0, 1.0,
                1.0, lps ? "LPS" : "RAS").build();
    }

    private byte[] render(Table volumes, String style) throws Exception {
        SegmentationOverlaySettings settings = overlay.schema().parse(Map.of("panel_size", "40", "style", style));
        Table out = (Table) overlay.execute(settings, List.of(volumes), Progress.silent()).get(0);
        assertThat(out.cell(0, "labels")).isEqualTo(1);
        return (byte[]) out.cell(0, "image");
    }

    @Test
    void drawsThreeViewsWithTheLabelInColour() throws Exception {
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(render(caseIn("ras", false), "fill")));
        assertThat(png.getWidth()).isEqualTo(120);
        assertThat(png.getHeight()).isEqualTo(58);
        long coloured = 0;
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 120; x++) {
                int rgb = png.getRGB(x, y);
                int r = (rgb >> 16) & 0xFF;
                int gr = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                if (r != gr || gr != b) {
                    coloured++;
                }
            }
        }
        assertThat(coloured).as("label pixels in the three panels").isGreaterThan(3 * 4 * 4 * 4 - 1);
    }

    @Test
    void theSameWorldLooksTheSameWhateverTheFilesVoxelOrder() throws Exception {
        assertThat(render(caseIn("lps", true), "outline")).isEqualTo(render(caseIn("ras", false), "outline"));
    }

    @Test
    void theAxialViewShowsThePatientsRightOnTheViewersLeft() throws Exception {
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(render(caseIn("ras", false), "fill")));
        int axialLeftHalf = 0;
        int axialRightHalf = 0;
        for (int y = 0; y < 40; y++) {
            for (int x = 80; x < 120; x++) {
                int rgb = png.getRGB(x, y);
                if (((rgb >> 16) & 0xFF) != (rgb & 0xFF)) {
                    if (x < 100) {
                        axialLeftHalf++;
                    } else {
                        axialRightHalf++;
                    }
                }
            }
        }
        assertThat(axialLeftHalf).isPositive();
        assertThat(axialRightHalf).isZero();
    }
}

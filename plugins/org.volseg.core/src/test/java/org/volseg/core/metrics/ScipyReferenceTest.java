package org.volseg.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.core.data.ReferenceData;
import org.volseg.core.io.NiftiReader;
import org.volseg.core.io.NiftiWriter;
import org.volseg.core.volume.Affine;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;

/**
 * HD95, ASSD, Hausdorff, surface Dice and Dice on real brain regions agree with scipy_reference.py, which computes them
 * with scipy.ndimage (Debian's python3-scipy) from the files as nibabel reads them. The regions are the left
 * hippocampus and caudate of the AAL atlas (mricron-data); the "prediction" moves the hippocampus 2 voxels along x and
 * lets the caudate spill over into the putamen. Both the atlas's 1 mm grid and an anisotropic one are compared.
 */
class ScipyReferenceTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final int HIPPOCAMPUS_L = 37;
    private static final int CAUDATE_L = 71;
    private static final int PUTAMEN_L = 73;
    private static final double TOLERANCE_MM = 1e-3;

    @TempDir
    Path dir;

    /** Whether Debian's python3 imports scipy.ndimage and nibabel. */
    static boolean scipyAvailable() {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import scipy.ndimage, nibabel")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void surfaceDistancesOnAalRegionsAgreeWithScipy() throws Exception {
        Optional<Path> aal = ReferenceData.MRICRON_TEMPLATES.file("aal.nii.gz");
        assumeTrue(aal.isPresent(), "needs mricron-data");
        assumeTrue(scipyAvailable(), "needs /usr/bin/python3 with python3-scipy and python3-nibabel");
        LabelMap atlas = LabelMaps.of(NiftiReader.read(aal.get()).volume());
        Geometry isotropic = atlas.geometry();
        Geometry anisotropic = new Geometry(isotropic.nx(), isotropic.ny(), isotropic.nz(),
                isotropic.affine().times(Affine.scaling(0.9, 1.2, 1.5)));

        LabelMap reference = LabelMap.create(isotropic, CAUDATE_L);
        LabelMap predicted = LabelMap.create(isotropic, CAUDATE_L);
        for (int i = 0; i < isotropic.voxels(); i++) {
            int label = atlas.get(i);
            if (label == HIPPOCAMPUS_L || label == CAUDATE_L) {
                reference.set(i, label);
                predicted.set(i, label);
            } else if (label == PUTAMEN_L) {
                predicted.set(i, CAUDATE_L);
            }
        }
        predicted = LabelMaps.shifted(predicted, HIPPOCAMPUS_L, 2, 0, 0);

        List<Path> files = new ArrayList<>();
        for (Geometry g : List.of(isotropic, anisotropic)) {
            for (LabelMap map : List.of(reference, predicted)) {
                Path file = dir.resolve(files.size() + ".nii"); // uncompressed: quicker to write and read on both sides
                NiftiWriter.writeLabels(file, onGrid(map, g), NiftiWriter.Options.defaults());
                files.add(file);
            }
        }
        JsonNode scipy = askScipy(HIPPOCAMPUS_L + "," + CAUDATE_L, files);

        for (int pair = 0; pair < 2; pair++) {
            LabelMap r = LabelMaps.of(NiftiReader.read(files.get(2 * pair)).volume());
            LabelMap p = LabelMaps.of(NiftiReader.read(files.get(2 * pair + 1)).volume());
            List<ClassMetrics> metrics = SegmentationMetrics.compute(r, p, HIPPOCAMPUS_L, CAUDATE_L);
            for (ClassMetrics m : metrics) {
                JsonNode expected = scipy.get(pair).get(Integer.toString(m.label()));
                String what = "label " + m.label() + " on " + r.geometry();
                SurfaceDistances s = SurfaceDistances.between(r, p, m.label());
                assertThat(s.referenceSurfaceVoxels()).as(what).isEqualTo(expected.get("reference_surface").asInt());
                assertThat(s.predictedSurfaceVoxels()).as(what).isEqualTo(expected.get("predicted_surface").asInt());
                assertThat(m.dice()).as(what).isCloseTo(expected.get("dice").asDouble(), within(1e-12));
                assertThat(m.hd95Mm()).as(what).isCloseTo(expected.get("hd95").asDouble(), within(TOLERANCE_MM));
                assertThat(m.assdMm()).as(what).isCloseTo(expected.get("assd").asDouble(), within(TOLERANCE_MM));
                assertThat(s.hausdorffMm()).as(what).isCloseTo(expected.get("hd").asDouble(), within(TOLERANCE_MM));
                assertThat(s.maxDirectedPercentileMm(95)).as(what)
                        .isCloseTo(expected.get("hd95_monai").asDouble(), within(TOLERANCE_MM));
                assertThat(m.nsd()).as(what).isCloseTo(expected.get("nsd_1mm").asDouble(), within(1e-12))
                        .isBetween(0.05, 0.95);
                assertThat(SegmentationMetrics.computeAt(2, r, p, m.label()).get(0).nsd()).as(what)
                        .isCloseTo(expected.get("nsd_2mm").asDouble(), within(1e-12));
                assertThat(m.hd95Mm()).as(what).isGreaterThan(1); // a real disagreement, not a trivial 0
            }
        }
    }

    /** The same labels on another grid of equal dims. */
    private static LabelMap onGrid(LabelMap map, Geometry g) {
        LabelMap out = LabelMap.create(g, map.capacity());
        for (int i = 0; i < g.voxels(); i++) {
            out.set(i, map.get(i));
        }
        return out;
    }

    private JsonNode askScipy(String labels, List<Path> files) throws IOException, InterruptedException {
        Path script = dir.resolve("scipy_reference.py");
        try (InputStream in = ScipyReferenceTest.class.getResourceAsStream("scipy_reference.py")) {
            Files.copy(in, script);
        }
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), script.toString(), labels));
        files.forEach(f -> command.add(f.toString()));
        Path output = dir.resolve("scipy.json");
        Process process = new ProcessBuilder(command).redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.PIPE).start();
        String errors = new String(process.getErrorStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("scipy_reference.py failed: " + errors);
        }
        return new ObjectMapper().readTree(output.toFile());
    }
}

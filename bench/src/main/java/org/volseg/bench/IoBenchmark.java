package org.volseg.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.volseg.core.data.ReferenceData;
import org.volseg.core.io.NiftiDatatype;
import org.volseg.core.io.NiftiReader;
import org.volseg.core.io.NiftiWriter;
import org.volseg.core.transforms.Resampling;
import org.volseg.core.transforms.ResamplingTransform;
import org.volseg.core.volume.Volume;

/**
 * {@code volseg bench io}: reading and writing Colin27 at 0.5 mm ({@code ch2better}, 35 M voxels) as float32
 * {@code .nii} and {@code .nii.gz}, against nibabel and {@code cat} on the same files, and resampling Colin27 from
 * 1 mm to 0.5 mm against scipy, in the same run.
 */
final class IoBenchmark {

    private static final int RUNS = 5;

    /** One timed piece of work. */
    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    private IoBenchmark() {
    }

    static void run() throws Exception {
        Path source = ReferenceData.MRICRON_TEMPLATES.file("ch2better.nii.gz").orElseThrow(() ->
                new IllegalStateException("needs Debian's mricron-data (apt-get install mricron-data)"));
        Path work = Files.createTempDirectory("volseg-bench-io");
        try {
            Volume volume = NiftiReader.read(source).volume();
            NiftiWriter.Options float32 = NiftiWriter.Options.defaults().withDatatype(NiftiDatatype.FLOAT32);
            Path nii = work.resolve("ch2better.nii");
            Path gz = work.resolve("ch2better.nii.gz");
            NiftiWriter.write(nii, volume, float32);
            NiftiWriter.write(gz, volume, float32);
            double megabytes = volume.geometry().voxels() * 4.0 / 1e6;

            double readNii = median(() -> NiftiReader.read(nii));
            double readGz = median(() -> NiftiReader.read(gz));
            double writeNii = median(() -> NiftiWriter.write(work.resolve("ours.nii"), volume, float32));
            double writeGz = median(() -> NiftiWriter.write(work.resolve("ours.nii.gz"), volume, float32));
            double cat = median(() -> new ProcessBuilder("cat", nii.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor());
            Path ch2 = ReferenceData.MRICRON_TEMPLATES.file("ch2.nii.gz").orElseThrow();
            Volume brain = NiftiReader.read(ch2).volume();
            ResamplingTransform toHalfMm = Resampling.toSpacing(brain.geometry(), 0.5);
            double resample = median(() -> toHalfMm.apply(brain));
            double resampledMegavoxels = toHalfMm.target().voxels() / 1e6;
            JsonNode nibabel = nibabel(nii, gz, work, ch2);

            new Table("volseg bench io: ch2better as float32 (" + volume.geometry().nx() + "×"
                    + volume.geometry().ny() + "×" + volume.geometry().nz() + ", " + Math.round(megabytes) + " MB)")
                    .setting("machine", Machine.describe())
                    .setting("runs", RUNS + ", median")
                    .setting("gzip level", "1 (nibabel's default) for both")
                    .setting("nibabel", nibabel.get("nibabel").asText())
                    .setting("scipy", nibabel.get("scipy").asText())
                    .row("read .nii", "MB/s", megabytes / readNii, "cat to /dev/null", megabytes / cat, "≥ 0.67×")
                    .row("read .nii", "MB/s", megabytes / readNii, "nibabel get_fdata(float32)",
                            megabytes / nibabel.get("read_nii").asDouble(), "")
                    .row("read .nii.gz", "MB/s", megabytes / readGz, "nibabel get_fdata(float32)",
                            megabytes / nibabel.get("read_nii_gz").asDouble(), "≥ 1.0×")
                    .row("write .nii", "MB/s", megabytes / writeNii, "nibabel save",
                            megabytes / nibabel.get("write_nii").asDouble(), "")
                    .row("write .nii.gz", "MB/s", megabytes / writeGz, "nibabel save",
                            megabytes / nibabel.get("write_nii_gz").asDouble(), "≥ 1.5×")
                    .row("resample ch2 1 → 0.5 mm, linear", "Mvox/s", resampledMegavoxels / resample,
                            "scipy.ndimage.zoom(order=1)", nibabel.get("zoom_voxels").asDouble() / 1e6
                                    / nibabel.get("zoom").asDouble(), "≥ 1.0×")
                    .print();
        } finally {
            try (var files = Files.list(work)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(work);
        }
    }

    /** Median seconds over {@link #RUNS} runs. */
    static double median(Work work) throws Exception {
        double[] seconds = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            work.run();
            seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(seconds);
        return seconds[RUNS / 2];
    }

    private static JsonNode nibabel(Path nii, Path gz, Path work, Path ch2) throws Exception {
        Path script = work.resolve("io_reference.py");
        try (InputStream in = IoBenchmark.class.getResourceAsStream("io_reference.py")) {
            Files.copy(in, script);
        }
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), nii.toString(), gz.toString(),
                work.toString(), Integer.toString(RUNS), ch2.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the nibabel reference failed (needs Debian's python3-nibabel)");
        }
        return new ObjectMapper().readTree(out);
    }
}

package org.volseg.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.volseg.core.data.ReferenceData;
import org.volseg.core.volume.Affine;

/** Asks nibabel (Debian's python3-nibabel) what it reads from files, through nibabel_reference.py. */
final class NibabelReference {

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    /** What nibabel reports for one file. */
    record Entry(Path file, boolean nifti, int[] shape, Affine affineMm, String orientation, Path voxels) {

        /** The shape as VolSeg sees it: x, y, z, then all further dims as frames. */
        int[] xyzFrames() {
            int[] out = {1, 1, 1, 1};
            for (int i = 0; i < shape.length; i++) {
                if (i < 3) {
                    out[i] = shape[i];
                } else {
                    out[3] *= shape[i];
                }
            }
            return out;
        }

        float[] readVoxels() throws IOException {
            byte[] bytes = Files.readAllBytes(voxels);
            float[] out = new float[bytes.length / 4];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        }
    }

    private NibabelReference() {
    }

    /** Whether Debian's python3 with nibabel is installed. */
    static boolean available() {
        return Files.isExecutable(PYTHON) && ReferenceData.NIBABEL_TEST_DATA.find().isPresent();
    }

    static List<Entry> ask(List<Path> files, Path workDir) throws IOException, InterruptedException {
        Path script = workDir.resolve("nibabel_reference.py");
        try (InputStream in = NibabelReference.class.getResourceAsStream("nibabel_reference.py")) {
            Files.copy(in, script);
        }
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), script.toString(), workDir.toString()));
        files.forEach(f -> command.add(f.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("nibabel_reference.py failed: " + output);
        }
        ObjectMapper json = new ObjectMapper();
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            JsonNode n = json.readTree(workDir.resolve(i + ".json").toFile());
            if (!n.get("nifti").asBoolean()) {
                entries.add(new Entry(files.get(i), false, null, null, null, null));
                continue;
            }
            int[] shape = new int[n.get("shape").size()];
            for (int k = 0; k < shape.length; k++) {
                shape[k] = n.get("shape").get(k).asInt();
            }
            double unit = switch (n.get("spatial_unit").asText()) {
                case "meter" -> 1000;
                case "micron" -> 0.001;
                default -> 1;
            };
            double[] a = new double[16];
            for (int r = 0; r < 4; r++) {
                for (int c = 0; c < 4; c++) {
                    a[4 * r + c] = n.get("affine").get(r).get(c).asDouble() * (r < 3 ? unit : 1);
                }
            }
            Path voxels = n.get("data").asBoolean() ? workDir.resolve(i + ".f4") : null;
            entries.add(new Entry(files.get(i), true, shape, Affine.of(a), n.get("orientation").asText(), voxels));
        }
        return entries;
    }
}

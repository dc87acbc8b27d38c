package org.volseg.core.data.synthetic;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.volseg.core.data.Case;
import org.volseg.core.data.Dataset;
import org.volseg.core.io.NiftiWriter;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;

/**
 * Seeded synthetic cases that look like a brain-tumour task (BraTS-like), for tests, demos and benchmarks: a
 * head-like ellipsoid (scalp shell, brain with grey/white texture), a smooth multiplicative bias field, and nested
 * lesion regions of random smooth shape: edema (label 2) around an enhancing rim (label 3) around a necrotic
 * tumour core (label 1), from randomly deformed ellipsoids. Four channels with BraTS-like
 * contrasts: T1, T1ce (enhancing bright), T2, FLAIR (edema bright), with Gaussian noise. The same seed gives the
 * same case bit for bit.
 */
public final class PhantomGenerator {

    /** Label values and names, BraTS' convention. */
    public static final Map<Integer, String> LABELS = Map.of(0, "background", 1, "tumour core", 2, "edema",
            3, "enhancing");

    /** Channel names in order. */
    public static final List<String> CHANNELS = List.of("T1", "T1ce", "T2", "FLAIR");

    /** Mean intensity of each tissue per channel: background, scalp, white, grey, edema, core, enhancing. */
    private static final float[][] CONTRAST = {
        {0, 0.9f, 0.8f, 0.55f, 0.45f, 0.3f, 0.5f},   // T1
        {0, 0.9f, 0.8f, 0.55f, 0.45f, 0.3f, 1.0f},   // T1ce: enhancing bright
        {0, 0.5f, 0.35f, 0.55f, 0.8f, 0.9f, 0.6f},   // T2
        {0, 0.4f, 0.35f, 0.5f, 0.95f, 0.6f, 0.7f}};  // FLAIR: edema bright

    private PhantomGenerator() {
    }

    /** A generated case. */
    public record Phantom(String id, Volume image, LabelMap labels) {
    }

    /** One case of n³ voxels of the given spacing (mm). */
    public static Phantom generate(String id, int n, double spacing, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Geometry g = Geometry.of(n, n, n, spacing, spacing, spacing);
        // shapes in normalised coordinates [-1, 1]³
        Blob head = new Blob(0, 0, 0, 0.92, 0.85, 0.9, random, 0.04);
        Blob brain = new Blob(0, 0, 0.02, 0.8, 0.72, 0.76, random, 0.05);
        double cx = random.nextDouble(-0.3, 0.3);
        double cy = random.nextDouble(-0.3, 0.3);
        double cz = random.nextDouble(-0.25, 0.25);
        double r = random.nextDouble(0.22, 0.32);
        Blob edema = new Blob(cx, cy, cz, r, r * random.nextDouble(0.8, 1.2), r * random.nextDouble(0.8, 1.2),
                random, 0.25);
        Blob core = new Blob(cx, cy, cz, 0.55 * r, 0.55 * r, 0.55 * r, random, 0.2);
        double[] bias = {random.nextDouble(-0.15, 0.15), random.nextDouble(-0.15, 0.15),
            random.nextDouble(-0.15, 0.15)};
        double[] texture = {random.nextDouble(3, 6), random.nextDouble(3, 6), random.nextDouble(3, 6),
            random.nextDouble(0, Math.PI)};
        long noiseSeed = random.nextLong();

        Volume image = Volume.zeros(g, CHANNELS.size());
        LabelMap labels = LabelMap.create(g, 3);
        IntStream.range(0, n).parallel().forEach(z -> {
            SplittableRandom noise = new SplittableRandom(noiseSeed + z);
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    double px = 2.0 * x / (n - 1) - 1;
                    double py = 2.0 * y / (n - 1) - 1;
                    double pz = 2.0 * z / (n - 1) - 1;
                    int tissue;
                    int label = 0;
                    if (!head.contains(px, py, pz)) {
                        tissue = 0;
                    } else if (!brain.contains(px, py, pz)) {
                        tissue = 1;
                    } else if (edema.contains(px, py, pz)) {
                        // the core: a necrotic centre inside an enhancing rim
                        double depth = core.depth(px, py, pz);
                        boolean inCore = depth < 1;
                        boolean enhancing = inCore && depth > 0.6;
                        tissue = enhancing ? 6 : inCore ? 5 : 4;
                        label = enhancing ? 3 : inCore ? 1 : 2;
                    } else {
                        // grey/white texture: a few sinusoids
                        double t = Math.sin(texture[0] * px + texture[3]) * Math.sin(texture[1] * py)
                                * Math.sin(texture[2] * pz);
                        tissue = t > 0.05 ? 2 : 3;
                    }
                    int i = g.index(x, y, z);
                    labels.set(i, label);
                    double field = 1 + bias[0] * px + bias[1] * py + bias[2] * pz;
                    for (int c = 0; c < CHANNELS.size(); c++) {
                        double value = CONTRAST[c][tissue] * field + (tissue == 0 ? 0.01 : 0.04)
                                * noise.nextDouble(-1.7, 1.7);
                        image.channel(c)[i] = (float) value;
                    }
                }
            }
        });
        return new Phantom(id, image, labels);
    }

    /**
     * Writes {@code count} cases (ids phantom_000, ...) as nnU-Net lays out a dataset: a 4D image
     * {@code imagesTr/<id>.nii.gz} holding the channels, and {@code labelsTr/<id>.nii.gz}.
     */
    public static Dataset writeDataset(Path folder, int count, int n, double spacing, long seed) throws IOException {
        List<Case> cases = new ArrayList<>();
        SplittableRandom seeds = new SplittableRandom(seed);
        for (int k = 0; k < count; k++) {
            String id = String.format("phantom_%03d", k);
            Phantom p = generate(id, n, spacing, seeds.nextLong());
            Path image = folder.resolve("imagesTr").resolve(id + ".nii.gz");
            Path label = folder.resolve("labelsTr").resolve(id + ".nii.gz");
            NiftiWriter.write(image, p.image(), NiftiWriter.Options.defaults());
            NiftiWriter.writeLabels(label, p.labels(), NiftiWriter.Options.defaults());
            cases.add(new Case(id, List.of(image), label));
        }
        Map<Integer, String> channels = new java.util.TreeMap<>();
        for (int c = 0; c < CHANNELS.size(); c++) {
            channels.put(c, CHANNELS.get(c));
        }
        return new Dataset("phantoms", cases, channels, LABELS);
    }

    /** A randomly deformed ellipsoid: inside where the radius-normalised distance is below 1 + a smooth wobble. */
    private static final class Blob {
        private final double cx;
        private final double cy;
        private final double cz;
        private final double rx;
        private final double ry;
        private final double rz;
        private final double[] wobble = new double[6];
        private final double amount;

        Blob(double cx, double cy, double cz, double rx, double ry, double rz, SplittableRandom random,
                double amount) {
            this.cx = cx;
            this.cy = cy;
            this.cz = cz;
            this.rx = rx;
            this.ry = ry;
            this.rz = rz;
            this.amount = amount;
            for (int k = 0; k < wobble.length; k++) {
                wobble[k] = random.nextDouble(0, 2 * Math.PI);
            }
        }

        /** 0 at the centre, 1 on the (deformed) surface. */
        double depth(double x, double y, double z) {
            double dx = (x - cx) / rx;
            double dy = (y - cy) / ry;
            double dz = (z - cz) / rz;
            double d = Math.sqrt(dx * dx + dy * dy + dz * dz);
            double theta = Math.atan2(dy, dx);
            double phi = Math.atan2(dz, Math.hypot(dx, dy));
            double surface = 1 + amount * (Math.sin(2 * theta + wobble[0]) * Math.cos(phi + wobble[1])
                    + 0.5 * Math.sin(3 * theta + wobble[2]) + 0.5 * Math.cos(2 * phi + wobble[3])) / 2;
            return d / surface;
        }

        boolean contains(double x, double y, double z) {
            return depth(x, y, z) < 1;
        }
    }
}

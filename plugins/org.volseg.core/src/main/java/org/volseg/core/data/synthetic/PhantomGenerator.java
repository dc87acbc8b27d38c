package org.volseg.core.data.synthetic;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;

/**
 * Makes brain-tumour phantoms (see the package documentation for labels and channels).
 *
 * <p>The anatomy lives in normalised coordinates (-1..1 across the field of view), so it scales with the grid:
 * <ul>
 * <li>a head ellipsoid of random radii and a smoothly wobbling surface, shelled as scalp, skull and CSF around the
 * brain, with a cortex of grey matter whose inner surface folds like gyri, white matter inside and two
 * lateral ventricles;</li>
 * <li>a tumour at a random place in the brain: one smooth scalar field (a main Gaussian blob and a few satellites)
 * thresholded at three levels, each level perturbed by its own low-frequency noise, so the regions have random
 * smooth shapes; each region is the union with the one inside it, and a final one-voxel dilation of the inner
 * regions makes each surround the next exactly, even where a coarse grid samples the thresholds unevenly;</li>
 * <li>per-tissue intensities per contrast ({@link MrContrast}) with smooth textures, soft partial-volume edges, a
 * multiplicative bias field shared by the channels, and Rician or Gaussian noise ({@link PhantomSpec}).</li>
 * </ul>
 *
 * <p>Every random choice comes from the seed: the shape parameters from one {@link SplittableRandom} in a fixed
 * order, the noise of each z slice from its own generator seeded from (seed, z), and every transcendental function
 * is {@link StrictMath}'s; so a seed gives the same phantom bit for bit whatever the thread count or JVM.
 * Slabs of z slices are rendered in parallel on the common fork-join pool.
 */
public final class PhantomGenerator {

    // radial coordinate of tissue boundaries inside the head ellipsoid, whose surface (the scalp's) is at 1
    private static final double SKULL_OUTER = 0.94;
    private static final double SKULL_INNER = 0.88;
    private static final double BRAIN_SURFACE = 0.85;
    private static final double WHITE_SURFACE = 0.68;
    private static final double HEAD_WOBBLE = 0.03;
    private static final double GYRUS_DEPTH = 0.08;

    // relative amplitude of the intensity textures
    private static final double TISSUE_TEXTURE = 0.04;
    private static final double TUMOUR_TEXTURE = 0.10;

    // levels of the tumour field (the main blob peaks at 1) and how much low-frequency noise moves them
    private static final double INNER_LEVEL = 0.55;
    private static final double CORE_LEVEL = 0.30;
    private static final double EDEMA_LEVEL = 0.15;
    private static final double LEVEL_JITTER = 0.08;
    private static final double TUMOUR_EDGE = 0.06;
    /** The main blob's smallest sigma, so that its inner region covers voxels even on a 16³ grid. */
    private static final double MIN_TUMOUR_SIGMA_VOXELS = 2;

    /** How far inside the brain surface the thresholded tumour stops, in voxels, to leave room for enclose(). */
    private static final double ENCLOSING_MARGIN_VOXELS = 2.5;

    /** Noise is relative to white matter's T1 intensity. */
    private static final double NOISE_REFERENCE = 750;

    private PhantomGenerator() {
    }

    /** A phantom; the same (seed, spec) gives the same phantom bit for bit, whatever the id. */
    public static Phantom generate(String id, long seed, PhantomSpec spec) {
        Geometry grid = spec.geometry();
        Anatomy anatomy = new Anatomy(new SplittableRandom(seed), spec);
        int voxels = grid.voxels();
        float[][] channels = new float[MrContrast.values().length][voxels];
        LabelMap labels = LabelMap.create(grid, TumourLabels.MAX_LABEL);
        LabelMap tissues = LabelMap.create(grid, Tissue.values().length - 1);
        int nz = spec.nz();
        int slabs = Math.min(nz, 4 * ForkJoinPool.getCommonPoolParallelism());
        IntStream.range(0, slabs).parallel().forEach(s -> anatomy.render(s * nz / slabs, (s + 1) * nz / slabs,
                channels, labels, tissues));
        int inner = spec.enhancingRim() ? TumourLabels.NECROTIC_CORE : TumourLabels.ENHANCING;
        int shell = spec.enhancingRim() ? TumourLabels.ENHANCING : TumourLabels.NECROTIC_CORE;
        // thresholds of differently perturbed fields nest only approximately on a coarse grid; make it exact
        enclose(labels, slabs, label -> label == inner, shell);
        enclose(labels, slabs, TumourLabels::isTumourCore, TumourLabels.EDEMA);
        return new Phantom(id, seed, new Volume(grid, channels), labels, MrContrast.CHANNEL_NAMES,
                TumourLabels.NAMES, tissues);
    }

    /** The random parameters of one phantom, and its rendering. */
    private static final class Anatomy {

        private final PhantomSpec spec;
        private final FieldOfView fov;
        private final Ellipsoid head;
        private final double headEdge;
        private final PlaneWaves headWobble;
        private final PlaneWaves gyri;
        private final PlaneWaves greyTexture;
        private final PlaneWaves whiteTexture;
        private final PlaneWaves tumourTexture;
        private final PlaneWaves bias;
        private final Ellipsoid leftVentricle;
        private final Ellipsoid rightVentricle;
        private final double ventricleEdge;
        private final GaussianBlobs tumour;
        private final GaussianBlobs edemaSpread;
        private final PlaneWaves innerJitter;
        private final PlaneWaves coreJitter;
        private final PlaneWaves edemaJitter;
        private final long noiseSeed;

        Anatomy(SplittableRandom random, PhantomSpec spec) {
            this.spec = spec;
            fov = new FieldOfView(spec.nx(), spec.ny(), spec.nz());
            double[] headCentre = {uniform(random, -0.03, 0.03), uniform(random, -0.03, 0.03),
                uniform(random, -0.03, 0.03)};
            // longest front to back, as heads are
            double[] headRadius = {uniform(random, 0.78, 0.86), uniform(random, 0.84, 0.92),
                uniform(random, 0.76, 0.86)};
            head = new Ellipsoid(fov, headCentre, headRadius);
            headEdge = fov.coarsestVoxel() / min(headRadius);
            headWobble = new PlaneWaves(random, fov, 4, 0.5, 1.5);
            gyri = new PlaneWaves(random, fov, 10, 3, 7);
            greyTexture = new PlaneWaves(random, fov, 6, 2, 6);
            whiteTexture = new PlaneWaves(random, fov, 6, 2, 6);
            tumourTexture = new PlaneWaves(random, fov, 6, 4, 10);
            bias = new PlaneWaves(random, fov, 4, 0.3, 1.2);

            double ventricleSize = uniform(random, 0.7, 1.3);
            double[] ventricleRadius = new double[3];
            double[] ventricleShape = {0.08, 0.28, 0.12};
            double[] leftCentre = new double[3];
            double[] rightCentre = new double[3];
            double[] ventricleOffset = {0.11, 0.02, 0.12};
            for (int a = 0; a < 3; a++) {
                ventricleRadius[a] = headRadius[a] * ventricleShape[a] * ventricleSize;
                leftCentre[a] = headCentre[a] + headRadius[a] * ventricleOffset[a];
                rightCentre[a] = leftCentre[a];
            }
            leftCentre[0] = headCentre[0] - headRadius[0] * ventricleOffset[0]; // RAS+: x grows to the right
            leftVentricle = new Ellipsoid(fov, leftCentre, ventricleRadius);
            rightVentricle = new Ellipsoid(fov, rightCentre, ventricleRadius);
            ventricleEdge = fov.coarsestVoxel() / min(ventricleRadius);

            // tumour centre uniform in a ball deep in the brain, in head-relative units
            double[] direction = unitVector(random);
            double depth = 0.42 * StrictMath.cbrt(random.nextDouble());
            double[] centre = new double[3];
            double[] sigma = new double[3];
            double sigmaRelative = uniform(random, 0.13, 0.21);
            for (int a = 0; a < 3; a++) {
                centre[a] = headCentre[a] + headRadius[a] * depth * direction[a];
                sigma[a] = Math.max(headRadius[a] * sigmaRelative * uniform(random, 0.8, 1.25),
                        MIN_TUMOUR_SIGMA_VOXELS * fov.voxel(a));
            }
            tumour = new GaussianBlobs(fov);
            tumour.add(1, centre, sigma);
            int satellites = 1 + random.nextInt(3);
            for (int b = 0; b < satellites; b++) {
                tumour.add(uniform(random, 0.35, 0.7), offset(random, centre, sigma, 0.6, 1.4),
                        scaled(random, sigma, 0.5, 0.85));
            }
            edemaSpread = new GaussianBlobs(fov);
            int spreads = 2 + random.nextInt(3);
            for (int b = 0; b < spreads; b++) {
                edemaSpread.add(uniform(random, 0.12, 0.28), offset(random, centre, sigma, 0.3, 1.2),
                        scaled(random, sigma, 1.0, 1.6));
            }
            innerJitter = new PlaneWaves(random, fov, 6, 3, 8);
            coreJitter = new PlaneWaves(random, fov, 6, 3, 8);
            edemaJitter = new PlaneWaves(random, fov, 6, 2, 6);
            noiseSeed = random.nextLong();
        }

        /** Renders slices [z0, z1). */
        void render(int z0, int z1, float[][] channels, LabelMap labels, LabelMap tissues) {
            SlabRenderer renderer = new SlabRenderer(channels, labels, tissues);
            for (int z = z0; z < z1; z++) {
                GaussianSource noise = new GaussianSource(new SplittableRandom(sliceSeed(noiseSeed, z)));
                for (int y = 0; y < spec.ny(); y++) {
                    renderer.row(y, z, noise);
                }
            }
        }

        /**
         * Renders one row at a time into row buffers; split into small methods so that the JIT compiles each
         * early (one huge loop nest would run interpreted until on-stack replacement).
         */
        private final class SlabRenderer {

            private final float[][] channels;
            private final LabelMap labels;
            private final LabelMap tissues;
            private final int nx;
            private final double[] wobble;
            private final double[] gyrus;
            private final double[] grey;
            private final double[] white;
            private final double[] tumourTex;
            private final double[] biasFactor;
            private final double[] tumourField;
            private final double[] spread;
            private final double[] innerShift;
            private final double[] coreShift;
            private final double[] edemaShift;
            private final double[][] rows;
            /** Per channel, the mean intensities: the six tissues, then edema, shell, inner tumour region. */
            private final double[][] intensity;
            private final double[][] clean;
            private final int innerLabel;
            private final int shellLabel;
            private final double tumourLimit;
            private final double sigmaNoise;

            SlabRenderer(float[][] channels, LabelMap labels, LabelMap tissues) {
                this.channels = channels;
                this.labels = labels;
                this.tissues = tissues;
                nx = spec.nx();
                wobble = new double[nx];
                gyrus = new double[nx];
                grey = new double[nx];
                white = new double[nx];
                tumourTex = new double[nx];
                biasFactor = new double[nx];
                tumourField = new double[nx];
                spread = new double[nx];
                innerShift = new double[nx];
                coreShift = new double[nx];
                edemaShift = new double[nx];
                rows = new double[][] {wobble, gyrus, grey, white, tumourTex, biasFactor, tumourField, spread,
                    innerShift, coreShift, edemaShift};
                innerLabel = spec.enhancingRim() ? TumourLabels.NECROTIC_CORE : TumourLabels.ENHANCING;
                shellLabel = spec.enhancingRim() ? TumourLabels.ENHANCING : TumourLabels.NECROTIC_CORE;
                MrContrast[] contrasts = MrContrast.values();
                intensity = new double[contrasts.length][];
                clean = new double[contrasts.length][nx];
                for (MrContrast c : contrasts) {
                    intensity[c.channel()] = new double[] {
                        c.intensity(Tissue.AIR), c.intensity(Tissue.SCALP), c.intensity(Tissue.SKULL),
                        c.intensity(Tissue.CSF), c.intensity(Tissue.GREY_MATTER), c.intensity(Tissue.WHITE_MATTER),
                        c.intensity(TumourLabels.EDEMA), c.intensity(shellLabel), c.intensity(innerLabel)};
                }
                // room for the two one-voxel dilations of enclose(): the tumour ends up inside the brain
                tumourLimit = BRAIN_SURFACE - ENCLOSING_MARGIN_VOXELS * headEdge;
                sigmaNoise = spec.noiseLevel() * NOISE_REFERENCE;
            }

            void row(int y, int z, GaussianSource noise) {
                fields(y, z);
                voxels(y, z);
                int start = labels.geometry().index(0, y, z);
                for (int c = 0; c < clean.length; c++) {
                    degrade(clean[c], channels[c], start, noise);
                }
            }

            /** The smooth fields along the row. */
            private void fields(int y, int z) {
                for (double[] row : rows) {
                    Arrays.fill(row, 0);
                }
                headWobble.addRow(y, z, HEAD_WOBBLE, wobble);
                gyri.addRow(y, z, GYRUS_DEPTH, gyrus);
                greyTexture.addRow(y, z, TISSUE_TEXTURE, grey);
                whiteTexture.addRow(y, z, TISSUE_TEXTURE, white);
                tumourTexture.addRow(y, z, TUMOUR_TEXTURE, tumourTex);
                bias.addRow(y, z, spec.biasStrength(), biasFactor);
                for (int x = 0; x < nx; x++) {
                    biasFactor[x] = StrictMath.exp(biasFactor[x]);
                }
                tumour.addRow(y, z, tumourField);
                edemaSpread.addRow(y, z, spread);
                innerJitter.addRow(y, z, LEVEL_JITTER, innerShift);
                coreJitter.addRow(y, z, LEVEL_JITTER, coreShift);
                edemaJitter.addRow(y, z, LEVEL_JITTER, edemaShift);
            }

            /** Tissue, label and noiseless, bias-free intensities of each voxel of the row. */
            private void voxels(int y, int z) {
                double headRow = head.rowPart(y, z);
                double leftRow = leftVentricle.rowPart(y, z);
                double rightRow = rightVentricle.rowPart(y, z);
                int index = labels.geometry().index(0, y, z);
                for (int x = 0; x < nx; x++, index++) {
                    double rho = Math.sqrt(headRow + head.xPart(x)) * (1 + wobble[x]);
                    if (rho >= 1 + 0.5 * headEdge) {
                        // in the air beyond the scalp's soft edge (most of the grid): nothing to blend
                        tissues.set(index, Tissue.AIR.ordinal());
                        labels.set(index, TumourLabels.BACKGROUND);
                        for (int c = 0; c < clean.length; c++) {
                            clean[c][x] = intensity[c][Tissue.AIR.ordinal()];
                        }
                        continue;
                    }
                    double whiteRho = rho + gyrus[x];
                    double ventricleRho = Math.sqrt(Math.min(leftRow + leftVentricle.xPart(x),
                            rightRow + rightVentricle.xPart(x)));
                    boolean inBrain = rho < BRAIN_SURFACE;
                    boolean inVentricle = ventricleRho < 1;

                    Tissue tissue = rho >= 1 ? Tissue.AIR : rho >= SKULL_OUTER ? Tissue.SCALP
                            : rho >= SKULL_INNER ? Tissue.SKULL : !inBrain || inVentricle ? Tissue.CSF
                            : whiteRho < WHITE_SURFACE ? Tissue.WHITE_MATTER : Tissue.GREY_MATTER;
                    tissues.set(index, tissue.ordinal());

                    double field = tumourField[x];
                    double innerField = field + innerShift[x];
                    double coreField = field + coreShift[x];
                    double edemaField = field + spread[x] + edemaShift[x];
                    boolean tumourAllowed = rho < tumourLimit;
                    boolean inner = tumourAllowed && innerField > INNER_LEVEL;
                    boolean core = inner || tumourAllowed && coreField > CORE_LEVEL;
                    boolean whole = core || tumourAllowed && edemaField > EDEMA_LEVEL;
                    labels.set(index, !whole ? TumourLabels.BACKGROUND : !core ? TumourLabels.EDEMA
                            : inner ? innerLabel : shellLabel);

                    // soft memberships for partial-volume edges; each is 0.5 where its hard boundary lies
                    double inHead = inside(rho, 1, headEdge);
                    double insideScalp = inside(rho, SKULL_OUTER, headEdge);
                    double insideSkull = inside(rho, SKULL_INNER, headEdge);
                    double brain = inside(rho, BRAIN_SURFACE, headEdge);
                    double whiteShare = inside(whiteRho, WHITE_SURFACE, headEdge);
                    double ventricleShare = inside(ventricleRho, 1, ventricleEdge);
                    double allowed = inside(rho, tumourLimit, headEdge);
                    double innerShare = ramp(innerField - INNER_LEVEL) * allowed;
                    double coreShare = Math.max(ramp(coreField - CORE_LEVEL) * allowed, innerShare);
                    double wholeShare = Math.max(ramp(edemaField - EDEMA_LEVEL) * allowed, coreShare);
                    double tumourFactor = 1 + tumourTex[x];
                    double greyFactor = 1 + grey[x];
                    double whiteFactor = 1 + white[x];
                    for (int c = 0; c < clean.length; c++) {
                        double[] t = intensity[c];
                        double v = lerp(t[4] * greyFactor, t[5] * whiteFactor, whiteShare);
                        v = lerp(v, t[3], ventricleShare);
                        v = lerp(t[3], v, brain);
                        v = lerp(t[2], v, insideSkull);
                        v = lerp(t[1], v, insideScalp);
                        v = lerp(t[0], v, inHead);
                        v = lerp(v, t[6] * tumourFactor, wholeShare);
                        v = lerp(v, t[7] * tumourFactor, coreShare);
                        clean[c][x] = lerp(v, t[8] * tumourFactor, innerShare);
                    }
                }
            }

            /** Bias field and noise, into the channel from {@code start}. */
            private void degrade(double[] values, float[] channel, int start, GaussianSource noise) {
                for (int x = 0; x < nx; x++) {
                    double v = values[x] * biasFactor[x];
                    if (sigmaNoise > 0) {
                        double real = v + sigmaNoise * noise.next();
                        v = spec.rician() ? Math.sqrt(real * real + square(sigmaNoise * noise.next())) : real;
                    }
                    channel[start + x] = (float) v;
                }
            }
        }
    }

    /**
     * Gives {@code label} to every voxel outside {@code region} that has a 6-neighbour inside it (a one-voxel
     * dilation of the region, read from a snapshot so that it does not cascade): afterwards the region touches
     * only itself and {@code label}, so the next region out encloses it.
     */
    private static void enclose(LabelMap labels, int slabs, IntPredicate region, int label) {
        Geometry g = labels.geometry();
        int nx = g.nx();
        int ny = g.ny();
        int nz = g.nz();
        byte[] before = new byte[g.voxels()];
        for (int i = 0; i < before.length; i++) {
            before[i] = (byte) labels.get(i);
        }
        IntPredicate in = i -> region.test(before[i] & 0xFF);
        IntStream.range(0, slabs).parallel().forEach(s -> {
            for (int z = s * nz / slabs; z < (s + 1) * nz / slabs; z++) {
                for (int y = 0; y < ny; y++) {
                    for (int x = 0, i = g.index(0, y, z); x < nx; x++, i++) {
                        if (!in.test(i) && (x > 0 && in.test(i - 1) || x < nx - 1 && in.test(i + 1)
                                || y > 0 && in.test(i - nx) || y < ny - 1 && in.test(i + nx)
                                || z > 0 && in.test(i - nx * ny) || z < nz - 1 && in.test(i + nx * ny))) {
                            labels.set(i, label);
                        }
                    }
                }
            }
        });
    }

    /** Smoothstep from 1 (r well below the boundary) to 0 (well above), 0.5 at the boundary, one edge wide. */
    private static double inside(double r, double boundary, double edge) {
        return smoothstep((boundary - r) / edge + 0.5);
    }

    /** Smoothstep from 0 to 1 as a tumour field crosses its level. */
    private static double ramp(double aboveLevel) {
        return smoothstep(aboveLevel / TUMOUR_EDGE + 0.5);
    }

    private static double smoothstep(double t) {
        double c = t <= 0 ? 0 : t >= 1 ? 1 : t;
        return c * c * (3 - 2 * c);
    }

    private static double lerp(double a, double b, double t) {
        return a + (b - a) * t;
    }

    private static double square(double v) {
        return v * v;
    }

    private static double uniform(SplittableRandom random, double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }

    private static double min(double[] values) {
        return Math.min(values[0], Math.min(values[1], values[2]));
    }

    private static double[] unitVector(SplittableRandom random) {
        double cosTheta = 2 * random.nextDouble() - 1;
        double sinTheta = Math.sqrt(1 - cosTheta * cosTheta);
        double phi = 2 * Math.PI * random.nextDouble();
        return new double[] {sinTheta * StrictMath.cos(phi), sinTheta * StrictMath.sin(phi), cosTheta};
    }

    /** A point at a random direction and a distance of lo..hi sigmas (per axis) from the centre. */
    private static double[] offset(SplittableRandom random, double[] centre, double[] sigma, double lo, double hi) {
        double[] direction = unitVector(random);
        double distance = uniform(random, lo, hi);
        return new double[] {centre[0] + distance * sigma[0] * direction[0],
            centre[1] + distance * sigma[1] * direction[1], centre[2] + distance * sigma[2] * direction[2]};
    }

    private static double[] scaled(SplittableRandom random, double[] sigma, double lo, double hi) {
        double f = uniform(random, lo, hi);
        return new double[] {sigma[0] * f, sigma[1] * f, sigma[2] * f};
    }

    /** An independent seed for the noise of slice z (SplitMix64's finaliser over the combined key). */
    private static long sliceSeed(long noiseSeed, int z) {
        long k = noiseSeed + 0x9E3779B97F4A7C15L * (z + 1L);
        k = (k ^ (k >>> 30)) * 0xBF58476D1CE4E5B9L;
        k = (k ^ (k >>> 27)) * 0x94D049BB133111EBL;
        return k ^ (k >>> 31);
    }
}

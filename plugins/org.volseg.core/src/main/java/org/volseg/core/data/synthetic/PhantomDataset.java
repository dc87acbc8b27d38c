package org.volseg.core.data.synthetic;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A numbered set of phantoms: case i has id {@code phantom_000}, {@code phantom_001}, … and a seed derived from
 * the dataset seed and i, so any case can be made on its own, and a larger dataset of the same seed starts with
 * the cases of a smaller one.
 *
 * @param seed the dataset's seed
 * @param spec the grid and degradation of every case
 */
public record PhantomDataset(long seed, PhantomSpec spec) {

    public static final String ID_PREFIX = "phantom_";

    /** The id of case i: "phantom_" and i with at least three digits. */
    public static String id(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("case index must be ≥ 0, got " + index);
        }
        return ID_PREFIX + String.format(Locale.ROOT, "%03d", index);
    }

    /** The seed of case i: SplitMix64's finaliser over (dataset seed, i), so neighbouring cases are unrelated. */
    public long caseSeed(int index) {
        long k = seed + 0x9E3779B97F4A7C15L * (index + 1L);
        k = (k ^ (k >>> 30)) * 0xBF58476D1CE4E5B9L;
        k = (k ^ (k >>> 27)) * 0x94D049BB133111EBL;
        return k ^ (k >>> 31);
    }

    /** Case i. */
    public Phantom generate(int index) {
        return PhantomGenerator.generate(id(index), caseSeed(index), spec);
    }

    /** Cases 0..count-1, all in memory (for small grids; {@link #write(Path, int)} holds one at a time). */
    public List<Phantom> generateAll(int count) {
        List<Phantom> cases = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            cases.add(generate(i));
        }
        return cases;
    }

    /**
     * Writes cases 0..count-1 into {@code folder} as {@link PhantomFiles} lays them out, one case in memory at a
     * time.
     *
     * @return the case folders, in order
     */
    public List<Path> write(Path folder, int count) throws IOException {
        List<Path> cases = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            cases.add(PhantomFiles.write(generate(i), folder));
        }
        return cases;
    }
}

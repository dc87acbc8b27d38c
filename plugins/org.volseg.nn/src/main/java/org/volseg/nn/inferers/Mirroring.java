package org.volseg.nn.inferers;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Test-time augmentation by mirroring: the flips a window is also predicted under, the prediction flipped back
 * and averaged in probability space (nnU-Net's "mirror axes", but any subset of the 8 flips). Each flip is a mask
 * of axes, bit 0 = x, bit 1 = y, bit 2 = z; the unflipped window (mask 0) is always predicted. Cost: one network
 * call per flip, so all 8 flips take 8 times as long.
 *
 * @param flips the masks, ascending, 0 first
 */
public record Mirroring(List<Integer> flips) {

    /** The mask bit of the z axis. */
    static final int Z = 1 << 2;

    /** Only the window as it is: no augmentation. */
    public static final Mirroring NONE = new Mirroring(List.of(0));

    /** All 8 flips (nnU-Net's default for 3D: mirror axes x, y and z). */
    public static final Mirroring ALL = new Mirroring(List.of(0, 1, 2, 3, 4, 5, 6, 7));

    public Mirroring {
        TreeSet<Integer> set = new TreeSet<>(flips);
        set.add(0);
        for (int f : set) {
            if (f < 0 || f > 7) {
                throw new IllegalArgumentException("a flip is a mask of axes 0 to 7, got " + f);
            }
        }
        flips = List.copyOf(set);
    }

    /**
     * Reads a setting: blank or "none" for no flips, "all" for the 8, or a comma-separated list of flipped axes
     * such as "x, y, z, xyz" (each entry flips those axes together).
     *
     * @throws IllegalArgumentException naming the entry that is not made of x, y and z
     */
    public static Mirroring parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty() || t.equals("none")) {
            return NONE;
        }
        if (t.equals("all")) {
            return ALL;
        }
        List<Integer> masks = new ArrayList<>();
        for (String entry : t.split(",")) {
            String e = entry.trim();
            int mask = 0;
            for (char axis : e.toCharArray()) {
                int bit = "xyz".indexOf(axis);
                if (bit < 0 || (mask & (1 << bit)) != 0) {
                    throw new IllegalArgumentException("test-time flips: \"" + e + "\" is not a set of axes; write "
                            + "entries such as x, y, z, xy or xyz separated by commas, or none or all");
                }
                mask |= 1 << bit;
            }
            if (e.isEmpty()) {
                throw new IllegalArgumentException("test-time flips: an entry is empty in \"" + text + "\"");
            }
            masks.add(mask);
        }
        return new Mirroring(masks);
    }

    /** How many network calls each window takes. */
    public int count() {
        return flips.size();
    }

    /** The N × C × D × H × W array axes a mask flips (x is the last axis). */
    static int[] arrayAxes(int mask) {
        List<Integer> axes = new ArrayList<>();
        for (int bit = 0; bit < 3; bit++) {
            if ((mask & (1 << bit)) != 0) {
                axes.add(4 - bit);
            }
        }
        return axes.stream().mapToInt(Integer::intValue).toArray();
    }

    /** As {@link #parse} reads it: "none", "all" or the flipped masks such as "x,y,xyz". */
    @Override
    public String toString() {
        if (flips.size() == 1) {
            return "none";
        }
        if (flips.size() == 8) {
            return "all";
        }
        List<String> names = new ArrayList<>();
        for (int f : flips.subList(1, flips.size())) {
            StringBuilder b = new StringBuilder();
            for (int bit = 0; bit < 3; bit++) {
                if ((f & (1 << bit)) != 0) {
                    b.append("xyz".charAt(bit));
                }
            }
            names.add(b.toString());
        }
        return String.join(",", names);
    }
}

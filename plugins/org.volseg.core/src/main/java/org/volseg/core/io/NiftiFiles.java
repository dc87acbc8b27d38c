package org.volseg.core.io;

import java.nio.file.Path;
import java.util.Locale;

/** NIfTI file names: which format a name asks for, and the .img that goes with a .hdr. */
public final class NiftiFiles {

    /** The layouts a name can ask for. */
    public enum Layout { NII, NII_GZ, PAIR, PAIR_GZ }

    private NiftiFiles() {
    }

    /** The layout a file name asks for: .nii, .nii.gz, .hdr/.img (or .hdr.gz/.img.gz). */
    public static Layout layoutOf(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".nii.gz")) {
            return Layout.NII_GZ;
        }
        if (name.endsWith(".nii")) {
            return Layout.NII;
        }
        if (name.endsWith(".hdr.gz") || name.endsWith(".img.gz")) {
            return Layout.PAIR_GZ;
        }
        if (name.endsWith(".hdr") || name.endsWith(".img")) {
            return Layout.PAIR;
        }
        throw new IllegalArgumentException(file.getFileName() + " is no NIfTI file name: expected .nii, .nii.gz, "
                + ".hdr or .img (optionally .gz)");
    }

    /** The data file of a pair: x.hdr → x.img, x.hdr.gz → x.img.gz (same case as the .hdr). */
    public static Path imageFileOf(Path header) {
        return swap(header, "hdr", "img");
    }

    /** The header file of a pair: x.img → x.hdr. */
    public static Path headerFileOf(Path image) {
        return swap(image, "img", "hdr");
    }

    /** The file name without its NIfTI extension ("case_001.nii.gz" → "case_001"). */
    public static String stem(Path file) {
        String name = file.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        for (String ext : new String[] {".nii.gz", ".hdr.gz", ".img.gz", ".nii", ".hdr", ".img"}) {
            if (lower.endsWith(ext)) {
                return name.substring(0, name.length() - ext.length());
            }
        }
        return name;
    }

    private static Path swap(Path file, String from, String to) {
        String name = file.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        boolean gz = lower.endsWith(".gz");
        int end = gz ? name.length() - 3 : name.length();
        String ext = name.substring(end - 3, end);
        if (!ext.equalsIgnoreCase(from)) {
            return file;
        }
        String swapped = Character.isUpperCase(ext.charAt(0)) ? to.toUpperCase(Locale.ROOT) : to;
        return file.resolveSibling(name.substring(0, end - 3) + swapped + name.substring(end));
    }
}

package org.volseg.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.volseg.core.volume.Affine;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.Numbers;
import org.volseg.core.volume.VolumeStatistics;

/**
 * What FSL's fslinfo/fslstats and nibabel users look at first: format, datatype, dims, spacing and units, orientation,
 * the affine and where it came from, scaling, and statistics of the scaled voxels.
 *
 * @param file           the file
 * @param format         "NIfTI-1", "NIfTI-2", with " pair" and " gzipped" as they apply
 * @param datatype       voxel type on disk
 * @param byteOrder      "little-endian" or "big-endian"
 * @param dims           dim[1..dim[0]]
 * @param spacingMm      voxel size along x, y, z in mm (from the affine)
 * @param pixdim         pixdim[1..dim[0]] as stored
 * @param spatialUnit    xyzt_units' spatial unit
 * @param orientation    nibabel-style code, e.g. "RAS"
 * @param affineSource   "sform", "qform" or "pixdim"
 * @param qformCode      qform_code
 * @param sformCode      sform_code
 * @param affine         voxel-to-world in mm, 4 rows of 4
 * @param slope          scl_slope applied (1 when none)
 * @param intercept      scl_inter applied (0 when none)
 * @param description    descrip
 * @param extensions     number of header extensions
 * @param statistics     over the scaled voxels (NaN and infinities counted apart)
 */
public record NiftiSummary(Path file, String format, String datatype, String byteOrder, long[] dims,
        double[] spacingMm, double[] pixdim, String spatialUnit, String orientation, String affineSource,
        int qformCode, int sformCode, double[][] affine, double slope, double intercept, String description,
        int extensions, VolumeStatistics statistics) {

    /** Reads the file and summarises it. */
    public static NiftiSummary of(Path file) throws IOException {
        NiftiImage image = NiftiReader.read(file);
        NiftiHeader h = image.header();
        Geometry g = image.volume().geometry();
        long[] dim = h.dims();
        long[] dims = java.util.Arrays.copyOfRange(dim, 1, (int) dim[0] + 1);
        double[] pixdim = java.util.Arrays.copyOfRange(h.pixdims(), 1, (int) dim[0] + 1);
        Affine a = g.affine();
        double[][] rows = new double[4][];
        for (int r = 0; r < 4; r++) {
            rows[r] = new double[] {a.get(r, 0), a.get(r, 1), a.get(r, 2), a.get(r, 3)};
        }
        boolean gzipped = isGzip(file);
        String format = "NIfTI-" + h.version() + (h.isPair() ? " pair" : "") + (gzipped ? " gzipped" : "");
        return new NiftiSummary(file, format, h.datatype().toString(),
                h.byteOrder() == java.nio.ByteOrder.LITTLE_ENDIAN ? "little-endian" : "big-endian", dims,
                new double[] {g.spacingX(), g.spacingY(), g.spacingZ()}, pixdim, h.spatialUnit(), g.orientation(),
                h.affineSource().name().toLowerCase(java.util.Locale.ROOT), h.qformCode(), h.sformCode(), rows,
                h.slope(), h.intercept(), h.description(), image.extensions().size(),
                VolumeStatistics.of(image.volume()));
    }

    private static boolean isGzip(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /** The lines a person reads, in the order above. */
    public List<String> lines() {
        VolumeStatistics s = statistics;
        return List.of(
                "file          " + file,
                "format        " + format + ", " + byteOrder,
                "datatype      " + datatype,
                "dims          " + join(dims),
                "spacing       " + join(spacingMm) + " mm (pixdim " + join(pixdim) + ", unit " + spatialUnit + ")",
                "orientation   " + orientation,
                "affine        from " + affineSource + " (qform_code " + qformCode + ", sform_code " + sformCode + ")",
                "              " + join(affine[0]),
                "              " + join(affine[1]),
                "              " + join(affine[2]),
                "              " + join(affine[3]),
                "scaling       slope " + num(slope) + ", intercept " + num(intercept),
                "description   " + (description.isEmpty() ? "(none)" : description),
                "extensions    " + extensions,
                "values        min " + num(s.min()) + ", max " + num(s.max()) + ", mean " + num(s.mean())
                        + ", sum " + num(s.sum()),
                "non-finite    " + s.nan() + " NaN, " + s.infinite() + " infinite");
    }

    private static String join(long[] values) {
        return java.util.Arrays.stream(values).mapToObj(Long::toString).reduce((x, y) -> x + " × " + y).orElse("");
    }

    private static String join(double[] values) {
        return java.util.Arrays.stream(values).mapToObj(NiftiSummary::num).reduce((x, y) -> x + "  " + y).orElse("");
    }

    private static String num(double v) {
        return Numbers.compact(v, 7);
    }
}

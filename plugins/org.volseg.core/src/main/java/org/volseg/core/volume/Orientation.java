package org.volseg.core.volume;

/** Orientation codes of voxel axes ("RAS", "LPS", ...), as radiologists and nibabel name them. */
public final class Orientation {

    private static final String POSITIVE = "RAS";
    private static final String NEGATIVE = "LPI";

    private Orientation() {
    }

    /**
     * For each voxel axis, the world axis its direction is closest to, and the letter of the end it points to.
     * World axes are given to voxel axes greedily by the largest absolute cosine, so oblique grids get the
     * nearest code and no world axis is used twice.
     */
    public static String code(Affine affine) {
        double[][] cos = new double[3][3]; // [voxel axis][world axis]
        for (int c = 0; c < 3; c++) {
            double norm = affine.columnNorm(c);
            for (int r = 0; r < 3; r++) {
                cos[c][r] = norm == 0 ? 0 : affine.get(r, c) / norm;
            }
        }
        int[] worldOf = {-1, -1, -1};
        boolean[] worldUsed = new boolean[3];
        for (int round = 0; round < 3; round++) {
            int bestC = -1;
            int bestR = -1;
            double best = -1;
            for (int c = 0; c < 3; c++) {
                if (worldOf[c] >= 0) {
                    continue;
                }
                for (int r = 0; r < 3; r++) {
                    if (!worldUsed[r] && Math.abs(cos[c][r]) > best) {
                        best = Math.abs(cos[c][r]);
                        bestC = c;
                        bestR = r;
                    }
                }
            }
            worldOf[bestC] = bestR;
            worldUsed[bestR] = true;
        }
        StringBuilder code = new StringBuilder(3);
        for (int c = 0; c < 3; c++) {
            int r = worldOf[c];
            code.append(cos[c][r] >= 0 ? POSITIVE.charAt(r) : NEGATIVE.charAt(r));
        }
        return code.toString();
    }
}

package org.volseg.core.volume;

import java.util.Arrays;

/**
 * A 4×4 affine transform, row-major, last row (0 0 0 1). As in NIfTI and nibabel it maps voxel indices
 * (i, j, k) to world coordinates in millimetres, RAS+: world x grows to the patient's right, y to anterior,
 * z to superior.
 */
public final class Affine {

    private final double[] m;

    private Affine(double[] rowMajor16) {
        this.m = rowMajor16;
    }

    /** From 16 row-major values; the last row must be (0 0 0 1). */
    public static Affine of(double... rowMajor16) {
        if (rowMajor16.length != 16) {
            throw new IllegalArgumentException("an affine needs 16 values, got " + rowMajor16.length);
        }
        double[] copy = rowMajor16.clone();
        if (copy[12] != 0 || copy[13] != 0 || copy[14] != 0 || copy[15] != 1) {
            throw new IllegalArgumentException("an affine's last row must be 0 0 0 1, got "
                    + copy[12] + " " + copy[13] + " " + copy[14] + " " + copy[15]);
        }
        return new Affine(copy);
    }

    /** From the three rows of a 3×4 matrix (as NIfTI's srow_x, srow_y, srow_z). */
    public static Affine ofRows(double[] rowX, double[] rowY, double[] rowZ) {
        return of(rowX[0], rowX[1], rowX[2], rowX[3], rowY[0], rowY[1], rowY[2], rowY[3],
                rowZ[0], rowZ[1], rowZ[2], rowZ[3], 0, 0, 0, 1);
    }

    /** Scaling by the spacing, no rotation, origin at voxel 0. */
    public static Affine scaling(double sx, double sy, double sz) {
        return of(sx, 0, 0, 0, 0, sy, 0, 0, 0, 0, sz, 0, 0, 0, 0, 1);
    }

    public static Affine identity() {
        return scaling(1, 1, 1);
    }

    /** Element at row r, column c (0-based). */
    public double get(int r, int c) {
        return m[4 * r + c];
    }

    /** The 16 values, row-major (a copy). */
    public double[] toArray() {
        return m.clone();
    }

    /** Row r (0..2) as 4 values (a copy). */
    public double[] row(int r) {
        return Arrays.copyOfRange(m, 4 * r, 4 * r + 4);
    }

    /** Maps a point: {@code this · (x, y, z, 1)}. */
    public double[] apply(double x, double y, double z) {
        return new double[] {
            m[0] * x + m[1] * y + m[2] * z + m[3],
            m[4] * x + m[5] * y + m[6] * z + m[7],
            m[8] * x + m[9] * y + m[10] * z + m[11]};
    }

    /** {@code this · other}: first other, then this. */
    public Affine times(Affine other) {
        double[] r = new double[16];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double s = 0;
                for (int k = 0; k < 4; k++) {
                    s += m[4 * i + k] * other.m[4 * k + j];
                }
                r[4 * i + j] = s;
            }
        }
        r[12] = 0;
        r[13] = 0;
        r[14] = 0;
        r[15] = 1;
        return new Affine(r);
    }

    /** The inverse transform. */
    public Affine inverse() {
        double a = m[0], b = m[1], c = m[2], d = m[4], e = m[5], f = m[6], g = m[8], h = m[9], i = m[10];
        double det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
        if (det == 0 || !Double.isFinite(det)) {
            throw new IllegalStateException("the affine is singular and has no inverse: " + this);
        }
        double[] r = new double[16];
        r[0] = (e * i - f * h) / det;
        r[1] = (c * h - b * i) / det;
        r[2] = (b * f - c * e) / det;
        r[4] = (f * g - d * i) / det;
        r[5] = (a * i - c * g) / det;
        r[6] = (c * d - a * f) / det;
        r[8] = (d * h - e * g) / det;
        r[9] = (b * g - a * h) / det;
        r[10] = (a * e - b * d) / det;
        for (int row = 0; row < 3; row++) {
            r[4 * row + 3] = -(r[4 * row] * m[3] + r[4 * row + 1] * m[7] + r[4 * row + 2] * m[11]);
        }
        r[15] = 1;
        return new Affine(r);
    }

    /** Length of column c (0..2): the spacing along voxel axis c, in mm. */
    public double columnNorm(int c) {
        return Math.sqrt(m[c] * m[c] + m[4 + c] * m[4 + c] + m[8 + c] * m[8 + c]);
    }

    /** The 3×3 part's determinant; negative for a left-handed voxel grid (as most radiological files). */
    public double determinant3() {
        return m[0] * (m[5] * m[10] - m[6] * m[9]) - m[1] * (m[4] * m[10] - m[6] * m[8])
                + m[2] * (m[4] * m[9] - m[5] * m[8]);
    }

    /** Whether every element differs by at most {@code tolerance}. */
    public boolean approximatelyEquals(Affine other, double tolerance) {
        for (int k = 0; k < 16; k++) {
            if (Math.abs(m[k] - other.m[k]) > tolerance) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Affine other && Arrays.equals(m, other.m);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(m);
    }

    /** "[[1 0 0 -90] [0 1 0 -126] [0 0 1 -72] [0 0 0 1]]". */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("[");
        for (int r = 0; r < 4; r++) {
            s.append(r == 0 ? "[" : " [");
            for (int c = 0; c < 4; c++) {
                s.append(c == 0 ? "" : " ").append(Numbers.compact(get(r, c), 6));
            }
            s.append(']');
        }
        return s.append(']').toString();
    }
}

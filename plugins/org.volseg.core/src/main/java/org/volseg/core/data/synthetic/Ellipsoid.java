package org.volseg.core.data.synthetic;

/**
 * An axis-aligned ellipsoid in normalised coordinates, as per-axis tables of ((p - centre) / radius)², so that
 * its radial coordinate at a voxel (1 on the surface) costs two additions and a square root.
 */
final class Ellipsoid {

    private final double[] qx;
    private final double[] qy;
    private final double[] qz;

    Ellipsoid(FieldOfView fov, double[] centre, double[] radius) {
        qx = squares(fov.x, centre[0], radius[0]);
        qy = squares(fov.y, centre[1], radius[1]);
        qz = squares(fov.z, centre[2], radius[2]);
    }

    private static double[] squares(double[] p, double centre, double radius) {
        double[] q = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            double d = (p[i] - centre) / radius;
            q[i] = d * d;
        }
        return q;
    }

    /** The squared radial coordinate's (y, z) part, to add to {@link #xPart(int)}. */
    double rowPart(int y, int z) {
        return qy[y] + qz[z];
    }

    double xPart(int x) {
        return qx[x];
    }
}

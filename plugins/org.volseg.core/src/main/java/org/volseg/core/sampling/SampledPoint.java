package org.volseg.core.sampling;

/**
 * One point of a {@link PointSet}.
 *
 * @param voxelX  continuous voxel coordinate (voxel i spans [i - ½, i + ½))
 * @param voxelY  continuous voxel coordinate
 * @param voxelZ  continuous voxel coordinate
 * @param worldX  world coordinate in mm (RAS+)
 * @param worldY  world coordinate in mm
 * @param worldZ  world coordinate in mm
 * @param label   the label of the nearest voxel
 * @param stratum how it was drawn
 */
public record SampledPoint(double voxelX, double voxelY, double voxelZ, double worldX, double worldY,
        double worldZ, int label, Stratum stratum) {
}

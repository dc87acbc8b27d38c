/**
 * Where to look during training: patch samplers for patch-based networks (uniform, and nnU-Net's class-balanced
 * oversampling of foreground) with helpers that cut patches out of volumes and label maps; and point samplers for
 * point-based networks such as OSS-Net (uniform over the grid, or biased towards a band around label borders).
 *
 * <p>Every sampler draws from a {@link java.util.SplittableRandom} the caller seeds, so a seed gives the same
 * samples; samplers hold no random state and can be shared by threads that each own a generator.
 *
 * <p>Coordinates are voxel indices as in NIfTI: voxel (i, j, k) is centred at continuous position (i, j, k) and
 * covers [i - ½, i + ½) on each axis; {@link org.volseg.core.volume.Geometry#voxelToWorld} maps positions to mm.
 */
package org.volseg.core.sampling;

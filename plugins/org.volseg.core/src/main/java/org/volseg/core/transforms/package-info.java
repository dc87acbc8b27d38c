/**
 * Preprocessing and augmentation of volumes, as MONAI and nnU-Net users know them: reorientation, resampling to a
 * spacing, intensity normalisation, crop to foreground and padding, and seeded random augmentations.
 *
 * <p>Every geometric step is a {@link org.volseg.core.transforms.GeometricTransform}: it is planned on a
 * {@link org.volseg.core.volume.Geometry} first (the plan records the input grid, the output grid and the voxel
 * map between them), then applied to any number of images and label maps on that grid, so an image and its labels
 * always get the very same transform. {@code inverse()} maps data from the output grid back onto the recorded input
 * grid, so a prediction made on the transformed grid lands exactly on the input's grid; a
 * {@link org.volseg.core.transforms.TransformChain} undoes a whole pipeline in reverse order.
 *
 * <p>Geometric transforms keep world positions: the output grid's affine is updated so that every voxel's contents
 * stay where they were in the patient (as MONAI's MetaTensor does). For augmentations this means the anatomy moves
 * in voxel space, which is what the network sees, while the affine still tells the truth.
 */
package org.volseg.core.transforms;

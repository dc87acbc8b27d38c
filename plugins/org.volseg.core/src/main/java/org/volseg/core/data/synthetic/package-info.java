/**
 * Seeded phantoms that look like a brain-tumour segmentation task (BraTS-like): a head of scalp, skull, CSF, grey
 * and white matter with smooth textures, a multiplicative bias field, a tumour of three nested regions, four MR
 * contrasts and Rician noise. They give tests, demos and benchmarks realistic data without patient data.
 *
 * <h2>Labels</h2>
 * The values and names follow BraTS 2023 ({@link org.volseg.core.data.synthetic.TumourLabels}):
 * <pre>
 *   0  background
 *   1  necrotic tumour core   (NCR)
 *   2  peritumoral edema      (ED)
 *   3  enhancing tumour       (ET)
 * </pre>
 * The regions nest as BraTS evaluates them: whole tumour {1, 2, 3} &supe; tumour core {1, 3} &supe; enhancing
 * tumour {3}. By default the edema (2) surrounds the core (1), which surrounds the enhancing part (3); with
 * {@link org.volseg.core.data.synthetic.PhantomSpec#withEnhancingRim(boolean)} the enhancing part is instead a
 * rim around a necrotic centre, as in real glioblastoma. The nesting is exact on the voxel grid: a voxel of the
 * inner region has 6-neighbours only in the tumour core {1, 3}, and a voxel of the core only in the whole tumour
 * {1, 2, 3} (neighbours outside the grid aside). Every tumour voxel is inside the brain.
 * {@link org.volseg.core.data.synthetic.Phantom#tissues()} gives the healthy tissue of each voxel as well.
 *
 * <h2>Channels</h2>
 * Channel 0..3 = T1, T1ce (enhancing tumour bright), T2 (CSF and edema bright), FLAIR (CSF dark, edema bright);
 * see {@link org.volseg.core.data.synthetic.MrContrast}.
 *
 * <h2>Files</h2>
 * {@link org.volseg.core.data.synthetic.PhantomFiles} writes a case as BraTS does, one 3D NIfTI per channel:
 * <pre>
 *   folder/phantom_000/phantom_000_t1.nii.gz
 *   folder/phantom_000/phantom_000_t1ce.nii.gz
 *   folder/phantom_000/phantom_000_t2.nii.gz
 *   folder/phantom_000/phantom_000_flair.nii.gz
 *   folder/phantom_000/phantom_000_seg.nii.gz     (uint8 labels)
 * </pre>
 */
package org.volseg.core.data.synthetic;

#!/usr/bin/python3
"""Segmentation metrics as scipy computes them: VolSeg's metrics tests compare against it.

Usage: scipy_reference.py LABEL[,LABEL...] REFERENCE PREDICTED [REFERENCE PREDICTED ...]
Prints a JSON list, one entry per REFERENCE/PREDICTED pair of label files (read with nibabel), mapping each label
to: dice, the surface voxel counts, hd95 (95th percentile of both directed surface-distance sets pooled), hd95_monai
(the larger of the two directed 95th percentiles), hd (the largest distance), assd (mean of both sets pooled) and
nsd_1mm, nsd_2mm (normalised surface Dice: the share of both sets pooled at most 1 or 2 mm).

A class's surface is its voxels with a 6-neighbour outside it, the grid border counting as outside (binary erosion
with the cross structure and border_value=0). Distances are scipy.ndimage.distance_transform_edt with the spacing
taken as the affine's column norms. Percentiles are numpy's default (linear).
"""
import json
import sys

import nibabel as nib
import numpy as np
from scipy import ndimage

CROSS = ndimage.generate_binary_structure(3, 1)
MARGIN = 3


def surface(mask):
    return mask & ~ndimage.binary_erosion(mask, structure=CROSS, border_value=0)


def compare(reference, predicted, spacing, label):
    r = reference == label
    p = predicted == label
    # Every surface voxel lies in a block around both masks, and within a margin of at least one voxel the erosion
    # and the distance transform of the block are those of the whole grid there (the margin also keeps the block
    # from being VolSeg's exact one); where the block meets the grid border, border_value=0 is the border.
    # The whole grid would take seconds.
    where = np.argwhere(r | p)
    lo = np.maximum(where.min(axis=0) - MARGIN, 0)
    hi = where.max(axis=0) + 1 + MARGIN
    block = tuple(slice(a, b) for a, b in zip(lo, hi))
    r, p = r[block], p[block]
    sr = surface(r)
    sp = surface(p)
    reference_to_predicted = ndimage.distance_transform_edt(~sp, sampling=spacing)[sr]
    predicted_to_reference = ndimage.distance_transform_edt(~sr, sampling=spacing)[sp]
    pooled = np.concatenate([reference_to_predicted, predicted_to_reference])
    return {
        "dice": float(2.0 * np.count_nonzero(r & p) / (np.count_nonzero(r) + np.count_nonzero(p))),
        "reference_surface": int(sr.sum()),
        "predicted_surface": int(sp.sum()),
        "hd95": float(np.percentile(pooled, 95)),
        "hd95_monai": float(max(np.percentile(reference_to_predicted, 95),
                                np.percentile(predicted_to_reference, 95))),
        "hd": float(pooled.max()),
        "assd": float(pooled.mean()),
        "nsd_1mm": float(np.count_nonzero(pooled <= 1.0) / pooled.size),
        "nsd_2mm": float(np.count_nonzero(pooled <= 2.0) / pooled.size),
    }


def main():
    labels = [int(x) for x in sys.argv[1].split(",")]
    files = sys.argv[2:]
    out = []
    for reference_file, predicted_file in zip(files[0::2], files[1::2]):
        reference_image = nib.load(reference_file)
        predicted_image = nib.load(predicted_file)
        reference = np.rint(np.asarray(reference_image.dataobj)).astype(np.int64)
        predicted = np.rint(np.asarray(predicted_image.dataobj)).astype(np.int64)
        spacing = np.sqrt((reference_image.affine[:3, :3] ** 2).sum(axis=0))
        out.append({str(label): compare(reference, predicted, spacing, label) for label in labels})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()

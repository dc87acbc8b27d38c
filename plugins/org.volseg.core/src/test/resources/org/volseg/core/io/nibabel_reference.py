#!/usr/bin/python3
"""What nibabel, the reference NIfTI reader, makes of files: VolSeg's conformance tests compare against it.

Usage: nibabel_reference.py OUT_DIR FILE...
For the i-th FILE writes OUT_DIR/i.json (whether nibabel reads it as NIfTI, shape, best affine, spatial unit,
orientation code) and, when the voxels can be read, OUT_DIR/i.f4: the scaled voxels as little-endian float32,
x fastest (Fortran order), frames last.
"""
import json
import os
import sys
import warnings

import numpy as np
import nibabel as nib

warnings.simplefilter("ignore")
NIFTI_CLASSES = (nib.Nifti1Image, nib.Nifti2Image, nib.Nifti1Pair, nib.Nifti2Pair)


def load_as_nifti(path):
    for cls in NIFTI_CLASSES:
        try:
            return cls.from_filename(path)
        except Exception:
            continue
    return None


def main():
    out = sys.argv[1]
    for i, path in enumerate(sys.argv[2:]):
        rec = {"file": path}
        img = load_as_nifti(path)
        rec["nifti"] = img is not None
        if img is not None:
            hdr = img.header
            rec["class"] = type(img).__name__
            rec["shape"] = [int(n) for n in img.shape]
            rec["affine"] = hdr.get_best_affine().tolist()
            rec["spatial_unit"] = hdr.get_xyzt_units()[0]
            rec["orientation"] = "".join(nib.aff2axcodes(hdr.get_best_affine()))
            rec["datatype"] = str(img.get_data_dtype())
            try:
                data = img.get_fdata(dtype=np.float32)
                np.asarray(data, dtype="<f4").ravel(order="F").tofile(os.path.join(out, f"{i}.f4"))
                rec["data"] = True
            except Exception as e:  # header-only pairs, RGB
                rec["data"] = False
                rec["data_error"] = str(e)
        with open(os.path.join(out, f"{i}.json"), "w") as f:
            json.dump(rec, f)


if __name__ == "__main__":
    main()

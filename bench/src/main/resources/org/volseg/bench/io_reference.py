#!/usr/bin/python3
"""nibabel's side of `volseg bench io`: median seconds of reading and writing the same float32 files.

Usage: io_reference.py NII NII_GZ OUT_DIR RUNS CH2   (prints one JSON object)
Also times scipy.ndimage.zoom(order=1) of CH2 (1 mm) by 2, i.e. to 0.5 mm.
"""
import json
import statistics
import sys
import time
import warnings

import numpy as np
import nibabel as nib
import scipy
import scipy.ndimage

warnings.simplefilter("ignore")


def median_seconds(work, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    nii, gz, out, runs, ch2 = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
    image = nib.load(nii)
    data = np.asarray(image.get_fdata(dtype=np.float32))
    affine = image.affine
    brain = nib.load(ch2).get_fdata(dtype=np.float32)
    zoomed = scipy.ndimage.zoom(brain, 2, order=1)
    result = {
        "nibabel": nib.__version__,
        "scipy": scipy.__version__,
        "zoom_voxels": int(zoomed.size),
        "zoom": median_seconds(lambda: scipy.ndimage.zoom(brain, 2, order=1), runs),
        "read_nii": median_seconds(lambda: nib.load(nii, mmap=False).get_fdata(dtype=np.float32), runs),
        "read_nii_gz": median_seconds(lambda: nib.load(gz).get_fdata(dtype=np.float32), runs),
        "write_nii": median_seconds(lambda: nib.save(nib.Nifti1Image(data, affine), out + "/ref.nii"), runs),
        "write_nii_gz": median_seconds(lambda: nib.save(nib.Nifti1Image(data, affine), out + "/ref.nii.gz"), runs),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""nibabel's side of `volseg bench io`: median seconds of reading and writing the same float32 files.

Usage: io_reference.py NII NII_GZ OUT_DIR RUNS   (prints one JSON object)
"""
import json
import statistics
import sys
import time
import warnings

import numpy as np
import nibabel as nib

warnings.simplefilter("ignore")


def median_seconds(work, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    nii, gz, out, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    image = nib.load(nii)
    data = np.asarray(image.get_fdata(dtype=np.float32))
    affine = image.affine
    result = {
        "nibabel": nib.__version__,
        "read_nii": median_seconds(lambda: nib.load(nii, mmap=False).get_fdata(dtype=np.float32), runs),
        "read_nii_gz": median_seconds(lambda: nib.load(gz).get_fdata(dtype=np.float32), runs),
        "write_nii": median_seconds(lambda: nib.save(nib.Nifti1Image(data, affine), out + "/ref.nii"), runs),
        "write_nii_gz": median_seconds(lambda: nib.save(nib.Nifti1Image(data, affine), out + "/ref.nii.gz"), runs),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()

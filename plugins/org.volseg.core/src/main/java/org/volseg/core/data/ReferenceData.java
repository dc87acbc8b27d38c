package org.volseg.core.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Public reference data that Debian packages install (the CI installs them): real brains with known geometry for
 * conformance tests, and nibabel as the reference reader. {@code volseg doctor} reports which are present.
 */
public enum ReferenceData {
    /** Colin27 T1 (1 mm and 0.5 mm), brain-extracted T1, AAL and Brodmann label maps, INIA19. */
    MRICRON_TEMPLATES("mricron-data", "/usr/share/mricron/templates", "ch2.nii.gz"),
    /** ITK's k-means example: a T1 in LSA orientation with permuted axes, 2×2×3 mm, and its 7-class segmentation. */
    ITK_EXAMPLES("insighttoolkit5-examples", "/usr/share/doc/insighttoolkit5-examples/examples/Data",
            "KmeansTest_T1UCharRaw.nii.gz"),
    /** nibabel's own test files (big-endian, NIfTI-2, 4D, scaled); read by Debian's python3, not a virtualenv. */
    NIBABEL_TEST_DATA("python3-nibabel", "/usr/lib/python3/dist-packages/nibabel/tests/data", "example4d.nii.gz"),
    /** NIfTI's own header checker, {@code nifti_tool -check_hdr -check_nim}. */
    NIFTI_TOOL("nifti-bin", "/usr/bin", "nifti_tool");

    private final String debianPackage;
    private final Path folder;
    private final String marker;

    ReferenceData(String debianPackage, String folder, String marker) {
        this.debianPackage = debianPackage;
        this.folder = Path.of(folder);
        this.marker = marker;
    }

    /** The Debian package that installs it. */
    public String debianPackage() {
        return debianPackage;
    }

    /** The folder the package installs into. */
    public Path folder() {
        return folder;
    }

    /** The folder, when the package is installed (its marker file exists). */
    public Optional<Path> find() {
        return Files.isRegularFile(folder.resolve(marker)) ? Optional.of(folder) : Optional.empty();
    }

    /** A file of this data set, when the package is installed. */
    public Optional<Path> file(String name) {
        return find().map(f -> f.resolve(name)).filter(Files::isRegularFile);
    }
}

package org.volseg.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class ReferenceDataTest {

    /** .ci/run installs the Debian packages before the tests; if one is missing, the conformance tests would skip. */
    @Test
    void everyReferencePackageIsInstalledOnCi() {
        assumeTrue(System.getenv("CI") != null, "only CI promises the Debian packages");
        for (ReferenceData data : ReferenceData.values()) {
            assertThat(data.find()).as("%s (Debian package %s)", data, data.debianPackage()).isPresent();
        }
    }

    @Test
    void aFileThatIsNotThereIsNotFound() {
        assertThat(ReferenceData.MRICRON_TEMPLATES.file("no-such-file.nii.gz")).isEmpty();
    }
}

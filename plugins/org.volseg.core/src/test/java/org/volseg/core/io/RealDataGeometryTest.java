package org.volseg.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.volseg.core.data.Case;
import org.volseg.core.data.CaseChecks;
import org.volseg.core.data.ReferenceData;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;

/** The geometry of real files, as their makers describe them (beyond agreeing with nibabel). */
class RealDataGeometryTest {

    @Test
    void itkKmeansT1IsLsaWithPermutedAxesAnd2x2x3mmAndItsSegmentationHasSevenClassesOnTheSameGrid()
            throws Exception {
        Path t1 = ReferenceData.ITK_EXAMPLES.file("KmeansTest_T1UCharRaw.nii.gz").orElse(null);
        Path seg = ReferenceData.ITK_EXAMPLES.file("KmeansTest_T1KmeansPrelimSegmentation.nii.gz").orElse(null);
        assumeTrue(t1 != null && seg != null, "needs insighttoolkit5-examples");

        Geometry g = CaseChecks.checkGeometry(new Case("kmeans", List.of(t1), seg));
        assertThat(g.orientation()).isEqualTo("LSA");
        assertThat(new double[] {g.spacingX(), g.spacingY(), g.spacingZ()}).containsExactly(2, 2, 3);
        assertThat(new int[] {g.nx(), g.ny(), g.nz()}).containsExactly(128, 128, 62);

        Volume labels = NiftiReader.read(seg).volume();
        int[] asInts = new int[labels.geometry().voxels()];
        for (int i = 0; i < asInts.length; i++) {
            asInts[i] = (int) labels.channel(0)[i];
        }
        assertThat(LabelMap.of(labels.geometry(), asInts).labels()).hasSize(7);
    }

    @Test
    void colin27IsRasAt1mmAnd05mm() throws Exception {
        Path ch2 = ReferenceData.MRICRON_TEMPLATES.file("ch2.nii.gz").orElse(null);
        Path better = ReferenceData.MRICRON_TEMPLATES.file("ch2better.nii.gz").orElse(null);
        assumeTrue(ch2 != null && better != null, "needs mricron-data");

        Geometry g1 = NiftiReader.readHeader(ch2).header().geometry();
        assertThat(g1.orientation()).isEqualTo("RAS");
        assertThat(new int[] {g1.nx(), g1.ny(), g1.nz()}).containsExactly(181, 217, 181);
        assertThat(g1.spacingX()).isEqualTo(1.0);
        Geometry g05 = NiftiReader.readHeader(better).header().geometry();
        assertThat(new int[] {g05.nx(), g05.ny(), g05.nz()}).containsExactly(301, 370, 316);
        assertThat(g05.spacingZ()).isEqualTo(0.5);
        assertThat(g05.orientation()).isEqualTo("RAS");
    }
}

package org.volseg.core.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.core.data.Dataset;
import org.volseg.core.data.CaseChecks;
import org.volseg.core.io.NiftiReader;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;

class PhantomGeneratorTest {

    @TempDir
    Path dir;

    @Test
    void theSameSeedGivesTheSameCaseAndAnotherSeedAnother() {
        PhantomGenerator.Phantom a = PhantomGenerator.generate("a", 24, 1, 7);
        PhantomGenerator.Phantom b = PhantomGenerator.generate("b", 24, 1, 7);
        PhantomGenerator.Phantom c = PhantomGenerator.generate("c", 24, 1, 8);
        for (int ch = 0; ch < 4; ch++) {
            assertThat(a.image().channel(ch)).isEqualTo(b.image().channel(ch));
        }
        assertThat(a.labels().toFloats()).isEqualTo(b.labels().toFloats());
        assertThat(a.labels().toFloats()).isNotEqualTo(c.labels().toFloats());
    }

    @Test
    void everyLabelIsPresentAndNestedInsideTheEdemaRegion() {
        for (long seed = 1; seed <= 4; seed++) {
            LabelMap labels = PhantomGenerator.generate("p", 32, 1, seed).labels();
            assertThat(labels.labels()).as("seed %d", seed).containsExactly(0, 1, 2, 3);
            long[] h = labels.histogram();
            // edema surrounds the core: it is the largest lesion region
            assertThat(h[2]).isGreaterThan(h[3]);
        }
    }

    @Test
    void channelsHaveBratsLikeContrasts() {
        PhantomGenerator.Phantom p = PhantomGenerator.generate("p", 32, 1, 3);
        Volume image = p.image();
        LabelMap labels = p.labels();
        double flairEdema = mean(image.channel(3), labels, 2);
        double flairBrain = mean(image.channel(3), labels, 0);
        double t1ceEnhancing = mean(image.channel(1), labels, 3);
        double t1ceCore = mean(image.channel(1), labels, 1);
        assertThat(flairEdema).isGreaterThan(flairBrain);
        assertThat(t1ceEnhancing).isGreaterThan(t1ceCore);
    }

    @Test
    void aWrittenDatasetReadsBackOnOneGridPerCase() throws Exception {
        Dataset d = PhantomGenerator.writeDataset(dir, 2, 16, 1.5, 11);
        assertThat(d.cases()).hasSize(2);
        assertThat(CaseChecks.checkGeometry(d.cases().get(0)).spacingX()).isEqualTo(1.5);
        assertThat(NiftiReader.read(d.cases().get(1).images().get(0)).volume().channelCount()).isEqualTo(4);
        assertThat(NiftiReader.readLabels(d.cases().get(1).label()).labels()).contains(0);
    }

    /** Mean over voxels of a label (0 counts only brain-like voxels, intensity above the background). */
    private static double mean(float[] channel, LabelMap labels, int label) {
        double sum = 0;
        long n = 0;
        for (int i = 0; i < channel.length; i++) {
            if (labels.get(i) == label && (label != 0 || channel[i] > 0.2)) {
                sum += channel[i];
                n++;
            }
        }
        return sum / n;
    }
}

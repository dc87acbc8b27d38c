package org.volseg.core.data.synthetic;

import java.util.List;

/**
 * The four MR contrasts of a phantom, in channel order, with the mean intensity of each tissue (before texture,
 * bias and noise; white matter in T1 is 750). The ratios mimic the usual appearance: T1 white brighter than grey;
 * T1ce the same plus a bright enhancing tumour; T2 bright CSF and edema; FLAIR as T2 but with CSF suppressed, so
 * that edema is the brightest tissue.
 */
public enum MrContrast {
    //   air scalp skull  csf   grey white  edema  core  enhancing
    T1("t1", 0, 850, 80, 200, 550, 750, 480, 300, 520),
    T1CE("t1ce", 0, 850, 80, 220, 560, 760, 500, 300, 1100),
    T2("t2", 0, 550, 60, 1000, 620, 450, 850, 950, 700),
    FLAIR("flair", 0, 600, 60, 120, 620, 480, 1000, 700, 780);

    /** Channel names in channel order, as the file suffixes. */
    public static final List<String> CHANNEL_NAMES = List.of("t1", "t1ce", "t2", "flair");

    private final String suffix;
    private final float[] tissueIntensity;
    private final float edema;
    private final float necroticCore;
    private final float enhancing;

    MrContrast(String suffix, float air, float scalp, float skull, float csf, float grey, float white, float edema,
            float necroticCore, float enhancing) {
        this.suffix = suffix;
        this.tissueIntensity = new float[] {air, scalp, skull, csf, grey, white};
        this.edema = edema;
        this.necroticCore = necroticCore;
        this.enhancing = enhancing;
    }

    /** The file-name suffix and channel name, e.g. "t1ce". */
    public String suffix() {
        return suffix;
    }

    /** The channel index. */
    public int channel() {
        return ordinal();
    }

    /** Mean intensity of a healthy tissue. */
    public float intensity(Tissue tissue) {
        return tissueIntensity[tissue.ordinal()];
    }

    /** Mean intensity of a tumour label (1, 2 or 3). */
    public float intensity(int tumourLabel) {
        return switch (tumourLabel) {
            case TumourLabels.NECROTIC_CORE -> necroticCore;
            case TumourLabels.EDEMA -> edema;
            case TumourLabels.ENHANCING -> enhancing;
            default -> throw new IllegalArgumentException("not a tumour label: " + tumourLabel);
        };
    }
}

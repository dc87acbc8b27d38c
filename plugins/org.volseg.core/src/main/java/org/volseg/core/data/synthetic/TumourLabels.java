package org.volseg.core.data.synthetic;

import java.util.List;

/**
 * The label values and names of the brain-tumour phantoms, those of BraTS 2023 (BraTS 2021 and earlier wrote the
 * enhancing tumour as 4). The evaluated regions nest: whole tumour &supe; tumour core &supe; enhancing tumour.
 */
public final class TumourLabels {

    public static final int BACKGROUND = 0;
    /** Necrotic (and non-enhancing) tumour core, BraTS "NCR". */
    public static final int NECROTIC_CORE = 1;
    /** Peritumoral edema (and invaded tissue), BraTS "ED". */
    public static final int EDEMA = 2;
    /** Gadolinium-enhancing tumour, BraTS "ET". */
    public static final int ENHANCING = 3;

    /** The largest label. */
    public static final int MAX_LABEL = ENHANCING;

    /** Names, indexed by label value. */
    public static final List<String> NAMES = List.of("background", "necrotic tumour core", "peritumoral edema",
            "enhancing tumour");

    private TumourLabels() {
    }

    /** Whole tumour (WT): labels 1, 2 and 3. */
    public static boolean isWholeTumour(int label) {
        return label == NECROTIC_CORE || label == EDEMA || label == ENHANCING;
    }

    /** Tumour core (TC): labels 1 and 3. */
    public static boolean isTumourCore(int label) {
        return label == NECROTIC_CORE || label == ENHANCING;
    }

    /** Enhancing tumour (ET): label 3. */
    public static boolean isEnhancing(int label) {
        return label == ENHANCING;
    }
}

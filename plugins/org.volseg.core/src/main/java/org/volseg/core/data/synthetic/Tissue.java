package org.volseg.core.data.synthetic;

import java.util.List;

/**
 * The healthy tissue a phantom draws at each voxel; {@link #ordinal()} is its value in {@link Phantom#tissues()}.
 * Under the tumour the map keeps the tissue the tumour replaced.
 */
public enum Tissue {
    AIR, SCALP, SKULL, CSF, GREY_MATTER, WHITE_MATTER;

    /** Names, indexed by tissue value. */
    public static final List<String> NAMES = List.of("air", "scalp", "skull", "csf", "grey matter",
            "white matter");

    /** The tissue with this value. */
    public static Tissue of(int value) {
        return values()[value];
    }

    /** Grey or white matter. */
    public boolean isBrain() {
        return this == GREY_MATTER || this == WHITE_MATTER;
    }
}

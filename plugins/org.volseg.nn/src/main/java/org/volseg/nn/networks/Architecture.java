package org.volseg.nn.networks;

/** The three segmenters of the InvRes paper, from one config record (not subclasses). */
public enum Architecture {
    /** Residual 3D U-Net: the non-invertible baseline. */
    UNET3D,
    /** The U-Net with its residual blocks replaced by additive couplings; down/upsampling stay ordinary. */
    PARTIALLY_INVRES,
    /** Everything between stem and head invertible: couplings, skip splits, squeeze + orthogonal mixing. */
    FULLY_INVRES
}

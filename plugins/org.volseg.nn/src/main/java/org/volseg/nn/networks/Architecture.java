package org.volseg.nn.networks;

/** The segmenters VolSeg builds from one config record (not subclasses): the InvRes paper's three and a compact one. */
public enum Architecture {
    /** Residual 3D U-Net: the non-invertible baseline. */
    UNET3D,
    /** The U-Net with its residual blocks replaced by additive couplings; down/upsampling stay ordinary. */
    PARTIALLY_INVRES,
    /** Everything between stem and head invertible: couplings, skip splits, squeeze + orthogonal mixing. */
    FULLY_INVRES,
    /**
     * A compact U-Net whose blocks are MobileNetV2's inverted residuals (1×1×1 expansion, depthwise 3×3×3, 1×1×1
     * projection): a distillation student with about a sixth of UNet3d's parameters at the same widths.
     */
    MOBILE_UNET3D,
    /**
     * MONAI's residual U-Net layout ({@code monai.networks.nets.UNet}): strided residual units down, transposed
     * convolutions up, concatenated skips, no full-resolution level; the network MONAI users compare against.
     */
    STRIDED_UNET3D
}

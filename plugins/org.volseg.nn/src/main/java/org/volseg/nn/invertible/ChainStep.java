package org.volseg.nn.invertible;

/**
 * One step of a {@link ReversibleSequence}, acting on a stack of tensors (the last is the top): an invertible block
 * on the top tensor, or a channel split/merge that parks a U-Net skip code on the stack and takes it back. All
 * of them can be undone exactly, so a whole invertible U-Net core is one chain.
 */
public sealed interface ChainStep permits InvertibleBlock, SkipSplit, SkipMerge {
}

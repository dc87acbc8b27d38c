package org.volseg.nn.invertible;

/**
 * Splits the top tensor's channels: the first {@code skipChannels} are pushed below the top as a skip code (kept
 * for the decoder, as in iUNets), the rest stay on top to be downsampled. Its inverse concatenates them back.
 */
public record SkipSplit(int skipChannels) implements ChainStep {

    public SkipSplit {
        if (skipChannels < 1) {
            throw new IllegalArgumentException("a skip code needs at least one channel, got " + skipChannels);
        }
    }
}

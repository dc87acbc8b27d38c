package org.volseg.nn.invertible;

/**
 * Takes the skip code below the top and concatenates it in front of the top tensor's channels: the decoder's
 * counterpart of {@link SkipSplit}. Its inverse splits after {@code skipChannels} channels.
 */
public record SkipMerge(int skipChannels) implements ChainStep {

    public SkipMerge {
        if (skipChannels < 1) {
            throw new IllegalArgumentException("a skip code needs at least one channel, got " + skipChannels);
        }
    }
}

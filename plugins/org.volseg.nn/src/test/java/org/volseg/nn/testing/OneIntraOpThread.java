package org.volseg.nn.testing;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.volseg.nn.engine.DjlContext;

/**
 * One PyTorch intra-op thread for a test class ({@code @ExtendWith(OneIntraOpThread.class)}): training tests are
 * tiny, and on a small shared machine PyTorch's OpenMP threads spin against other processes' (ten times slower and
 * more). Reproducibility holds for any fixed thread count. The previous count is restored afterwards.
 */
public final class OneIntraOpThread implements BeforeAllCallback, AfterAllCallback {

    private int threads;

    @Override
    public void beforeAll(ExtensionContext context) {
        DjlContext.call(() -> {
            Engine.getEngine(DjlContext.ENGINE);
            threads = JniUtils.getNumThreads();
            JniUtils.setNumThreads(1);
            return null;
        });
    }

    @Override
    public void afterAll(ExtensionContext context) {
        JniUtils.setNumThreads(threads);
    }
}

package org.volseg.nn.engines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.volseg.nn.engine.GradMode;
import org.volseg.nn.engine.NamedArrays;
import java.util.ArrayList;
import java.util.List;

/**
 * Lookahead (Zhang et al.) around another optimizer, as {@code torch_optimizer.Lookahead} does it: slow weights φ
 * follow the fast ones θ every k steps, φ ← φ + α·(θ − φ), θ ← φ. The synchronisations fall on steps 1, k + 1,
 * 2k + 1, … (the reference's counter), the first of them only creating φ. OSS-Net uses k = 5, α = 0.8 around RAdam.
 */
public final class Lookahead implements Optimizer {

    /** OSS-Net's k. */
    public static final int DEFAULT_K = 5;
    /** OSS-Net's α. */
    public static final double DEFAULT_ALPHA = 0.8;
    static final String COUNTER = "lookahead_counter";
    static final String SLOW = "slow:";

    private final Optimizer inner;
    private final List<NDArray> parameters;
    private final List<String> names;
    private final int k;
    private final double alpha;
    private final NDManager manager;
    private final List<NDArray> slow = new ArrayList<>();
    private long counter;

    public Lookahead(Optimizer inner, List<NDArray> parameters, int k, double alpha) {
        if (k < 1 || !(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("Lookahead needs k ≥ 1 and α in (0, 1], got " + k + ", " + alpha);
        }
        this.inner = inner;
        this.parameters = List.copyOf(parameters);
        this.names = OptimizerState.names(parameters);
        this.k = k;
        this.alpha = alpha;
        this.manager = parameters.get(0).getManager().newSubManager();
    }

    @Override
    public void step(double learningRate) {
        inner.step(learningRate);
        if (counter == 0) {
            synchronise();
        }
        counter = (counter + 1) % k;
    }

    private void synchronise() {
        GradMode.with(false, () -> {
            for (int i = 0; i < parameters.size(); i++) {
                NDArray fast = parameters.get(i);
                if (slow.size() <= i) {
                    NDArray copy = fast.duplicate();
                    copy.attach(manager);
                    slow.add(copy);
                }
                NDArray s = slow.get(i);
                try (NDManager scope = manager.newSubManager()) {
                    fast.tempAttach(scope);
                    s.tempAttach(scope);
                    NamedArrays.copyInto(fast, fast.mul(alpha).addi(s.mul(1 - alpha)));
                    NamedArrays.copyInto(s, fast);
                }
            }
            return null;
        });
    }

    @Override
    public void zeroGradients() {
        inner.zeroGradients();
    }

    /** The inner optimizer's state, the counter, and the slow weights once they exist. */
    @Override
    public NDList state() {
        NDList state = inner.state();
        NDArray c = manager.create(new long[] {counter});
        c.setName(COUNTER);
        state.add(c);
        for (int i = 0; i < slow.size(); i++) {
            state.add(OptimizerState.copy(slow.get(i), SLOW + names.get(i)));
        }
        return state;
    }

    @Override
    public void load(NDList state) {
        NDArray c = OptimizerState.find(state, COUNTER);
        long loaded = c.toLongArray()[0];
        if (loaded < 0 || loaded >= k) {
            throw new IllegalArgumentException("the Lookahead counter is " + loaded + "; expected 0 to " + (k - 1));
        }
        boolean hasSlow = state.stream().anyMatch(a -> a.getName() != null && a.getName().startsWith(SLOW));
        List<NDArray> found = new ArrayList<>();
        if (hasSlow) {
            for (int i = 0; i < parameters.size(); i++) {
                found.add(OptimizerState.matching(state, SLOW + names.get(i), parameters.get(i)));
            }
        }
        NDList innerState = new NDList();
        state.stream().filter(a -> !COUNTER.equals(a.getName()) && (a.getName() == null || !a.getName()
                .startsWith(SLOW))).forEach(innerState::add);
        inner.load(innerState);
        slow.forEach(NDArray::close);
        slow.clear();
        for (NDArray f : found) {
            NDArray copy = f.duplicate();
            copy.attach(manager);
            slow.add(copy);
        }
        counter = loaded;
    }

    @Override
    public void close() {
        inner.close();
        manager.close();
    }
}

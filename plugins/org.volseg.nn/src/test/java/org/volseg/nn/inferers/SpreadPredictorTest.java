package org.volseg.nn.inferers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.volseg.core.sampling.PatchSize;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.GradMode;
import org.volseg.nn.networks.Architecture;
import org.volseg.nn.networks.Network;
import org.volseg.nn.networks.NetworkConfig;

/**
 * A batch spread over replicas comes back whole, in window order, each part computed by its own replica: two CPU
 * replicas stand in for two GPUs (the same cutting, threads and assembly).
 */
class SpreadPredictorTest {

    @Test
    void aBatchCutAmongReplicasGivesTheOneReplicasLogitsInOrder() {
        NetworkConfig config = NetworkConfig.of(Architecture.UNET3D, 2, 3, List.of(4, 8), 1, PatchSize.cube(8));
        DjlContext.call(() -> {
            try (NDManager a = NDManager.newBaseManager(); NDManager b = NDManager.newBaseManager();
                    NDManager windows = NDManager.newBaseManager()) {
                Network first = Network.build(config, a, 5);
                Network second = Network.build(config, b, 5); // the same weights: the same seed
                List<Long> seen = Collections.synchronizedList(new ArrayList<>());
                Set<String> threads = Collections.synchronizedSet(new HashSet<>());
                List<Boolean> managers = Collections.synchronizedList(new ArrayList<>());
                List<SpreadPredictor.Replica> replicas = new ArrayList<>();
                for (Network net : List.of(first, second)) {
                    NDManager own = net == first ? a : b;
                    replicas.add(new SpreadPredictor.Replica(x -> {
                        seen.add(x.getShape().get(0));
                        threads.add(Thread.currentThread().getName() + (GradMode.isOn() ? " recording" : ""));
                        if (net == second) {
                            // the second part arrives in a scope of the second replica's manager
                            managers.add(x.getManager().getParentManager() == b);
                        }
                        return net.logits(x);
                    }, own));
                }
                try (SpreadPredictor spread = new SpreadPredictor(replicas)) {
                    for (int n = 1; n <= 3; n++) {
                        seen.clear();
                        NDArray x = windows.randomNormal(new Shape(n, 2, 8, 8, 8));
                        // each part as one replica computes it alone (a batch of 2 takes another kernel than 1)
                        int cut = n / 2;
                        NDArray expected = GradMode.with(false, () -> cut == 0 ? first.logits(x)
                                : first.logits(x.get("0:" + cut)).concat(first.logits(x.get(cut + ":")), 0));
                        float[] actual = GradMode.with(false, () -> spread.logits(x)).toFloatArray();
                        assertThat(actual).as("%d window(s)", n).containsExactly(expected.toFloatArray());
                        float[] whole = GradMode.with(false, () -> first.logits(x)).toFloatArray();
                        for (int i = 0; i < whole.length; i++) {
                            assertThat(actual[i]).isCloseTo(whole[i], within(1e-4f));
                        }
                        assertThat(seen.stream().mapToLong(Long::longValue).sum()).isEqualTo(n);
                        assertThat(seen).hasSize(Math.min(n, 2));
                    }
                }
                assertThat(threads).as("the second part on a thread of its own, without a graph").hasSize(2)
                        .noneMatch(t -> t.endsWith("recording"));
                assertThat(managers).isNotEmpty().containsOnly(true);
            }
            return null;
        });
        DjlContext.call(() -> {
            try (NDManager alone = NDManager.newBaseManager()) {
                assertThatThrownBy(() -> new SpreadPredictor(List.of(new SpreadPredictor.Replica(x -> x, alone))))
                        .hasMessageContaining("two or more replicas");
            }
            return null;
        });
    }

    /**
     * Replicas that split off a pointwise head are spread as their head's input, joined on the first device, whose
     * head makes the logits; one replica without such a head leaves the spread model unsplit.
     */
    @Test
    void replicasWithAPointwiseHeadSpreadTheHeadsInputAndTheFirstRunsTheHead() {
        NetworkConfig config = NetworkConfig.of(Architecture.UNET3D, 2, 3, List.of(4, 8), 1, PatchSize.cube(8));
        DjlContext.call(() -> {
            try (NDManager a = NDManager.newBaseManager(); NDManager b = NDManager.newBaseManager();
                    NDManager windows = NDManager.newBaseManager()) {
                Network first = Network.build(config, a, 5);
                Network second = Network.build(config, b, 5);
                List<SpreadPredictor.Replica> replicas = List.of(
                        new SpreadPredictor.Replica(PredictingModel.predictor(first), a),
                        new SpreadPredictor.Replica(PredictingModel.predictor(second), b));
                try (SpreadPredictor spread = new SpreadPredictor(replicas)) {
                    PatchPredictor.PointwiseHead split = spread.pointwiseHead();
                    assertThat(split).isNotNull();
                    NDArray x = windows.randomNormal(new Shape(2, 2, 8, 8, 8));
                    NDArray in = split.headInput(x);
                    assertThat(in.getShape()).isEqualTo(new Shape(2, 4, 8, 8, 8));
                    assertThat(in.getManager()).isSameAs(x.getManager());
                    float[] logits = split.head(in).toFloatArray();
                    float[] expected = GradMode.with(false, () -> first.logits(x.get("0:1"))
                            .concat(first.logits(x.get("1:2")), 0)).toFloatArray();
                    for (int i = 0; i < expected.length; i++) {
                        assertThat(logits[i]).isCloseTo(expected[i], within(1e-5f));
                    }
                }
                try (SpreadPredictor mixed = new SpreadPredictor(List.of(replicas.get(0),
                        new SpreadPredictor.Replica(second::logits, b)))) {
                    assertThat(mixed.pointwiseHead()).isNull();
                }
            }
            return null;
        });
    }

    /**
     * When one part fails, the batch fails only after every other part has finished (the caller then closes the
     * batch those parts read), and an Error such as a heap OutOfMemoryError reaches the caller as itself.
     */
    @Test
    void aFailedPartFailsTheBatchOnlyOnceEveryPartHasFinished() {
        DjlContext.call(() -> {
            try (NDManager a = NDManager.newBaseManager(); NDManager b = NDManager.newBaseManager();
                    NDManager windows = NDManager.newBaseManager()) {
                java.util.concurrent.atomic.AtomicBoolean slowDone = new java.util.concurrent.atomic.AtomicBoolean();
                SpreadPredictor.Replica failing = new SpreadPredictor.Replica(x -> {
                    throw new IllegalStateException("device 0 failed");
                }, a);
                SpreadPredictor.Replica slow = new SpreadPredictor.Replica(x -> {
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    slowDone.set(true);
                    return x.duplicate();
                }, b);
                NDArray x = windows.zeros(new Shape(2, 1, 2, 2, 2));
                try (SpreadPredictor spread = new SpreadPredictor(List.of(failing, slow))) {
                    assertThatThrownBy(() -> spread.logits(x)).hasMessage("device 0 failed");
                    assertThat(slowDone).as("the other part finished before the failure was thrown").isTrue();
                }
                SpreadPredictor.Replica heapFull = new SpreadPredictor.Replica(x2 -> {
                    throw new OutOfMemoryError("Java heap space");
                }, b);
                try (SpreadPredictor spread = new SpreadPredictor(List.of(new SpreadPredictor.Replica(
                        NDArray::duplicate, a), heapFull))) {
                    assertThatThrownBy(() -> spread.logits(x)).isExactlyInstanceOf(OutOfMemoryError.class);
                }
            }
            return null;
        });
    }
}

package org.volseg.nn.inferers;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.GradMode;

/**
 * One model's replicas on several devices ({@code gpu:0,1}) seen as one predictor: each batch of windows is cut into
 * as many consecutive parts as there are replicas (at most one window each), part d runs on replica d's device in
 * a thread of its own, and the logits come back to the batch's device in window order. Every window's logits are
 * one replica's, so the stitched result is the single-device one, window for window; the batch takes the time of
 * its largest part.
 */
public final class SpreadPredictor implements PatchPredictor, AutoCloseable {

    /**
     * A model on one device.
     *
     * @param predictor the model's logits there
     * @param device    where its parameters live
     */
    public record Replica(PatchPredictor predictor, Device device) {
        public Replica {
            Objects.requireNonNull(predictor, "predictor");
            Objects.requireNonNull(device, "device");
        }
    }

    private final List<Replica> replicas;
    /** The parts after the first; the first runs on the calling thread. */
    private final ExecutorService threads;

    /** @param replicas the same model on each device, at least two */
    public SpreadPredictor(List<Replica> replicas) {
        if (replicas.size() < 2) {
            throw new IllegalArgumentException("spreading needs two or more replicas; got " + replicas.size());
        }
        this.replicas = List.copyOf(replicas);
        this.threads = Executors.newFixedThreadPool(replicas.size() - 1, work -> {
            Thread t = new Thread(work, "volseg-spread");
            t.setDaemon(true);
            return t;
        });
    }

    /** How many devices share each batch. */
    public int devices() {
        return replicas.size();
    }

    @Override
    public NDArray logits(NDArray patches) {
        int windows = Math.toIntExact(patches.getShape().get(0));
        int parts = Math.min(windows, replicas.size());
        Device home = patches.getDevice();
        List<Future<NDArray>> running = new ArrayList<>();
        NDArray[] results = new NDArray[parts];
        try {
            for (int d = parts - 1; d >= 0; d--) {
                int from = d * windows / parts;
                int to = (d + 1) * windows / parts;
                Replica replica = replicas.get(d);
                NDArray part = parts == 1 ? patches : patches.get(new NDIndex("{}:{}", from, to));
                if (d == 0) {
                    results[0] = run(replica, part, home);
                } else {
                    // PyTorch's grad mode and DJL's class loader are per thread: each part sets both
                    running.add(threads.submit(() -> DjlContext.call(() -> GradMode.with(false,
                            () -> run(replica, part, home)))));
                }
            }
            for (int i = 0; i < running.size(); i++) {
                results[parts - 1 - i] = running.get(i).get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the devices ran a batch", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        return parts == 1 ? results[0] : NDArrays.concat(new NDList(results), 0);
    }

    /** A part's logits on {@code home}: moved to the replica's device and back when that is another. */
    private static NDArray run(Replica replica, NDArray part, Device home) {
        if (replica.device().equals(home)) {
            return replica.predictor().logits(part);
        }
        NDArray there = part.toDevice(replica.device(), false);
        NDArray logits = replica.predictor().logits(there);
        return logits.toDevice(home, false);
    }

    /** The replicas' reports joined, or null when none has one. */
    @Override
    public String takeReport() {
        String joined = replicas.stream().map(r -> r.predictor().takeReport()).filter(Objects::nonNull)
                .collect(Collectors.joining("; "));
        return joined.isEmpty() ? null : joined;
    }

    /** Stops the threads (the replicas' memory is their managers' owners' to free). */
    @Override
    public void close() {
        threads.shutdownNow();
    }
}

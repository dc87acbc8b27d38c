package org.volseg.nn.inferers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
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
     * @param manager   a manager on that device, the parent of each part's scope there: arrays a network makes
     *                  from its input's manager must be made on its own device
     */
    public record Replica(PatchPredictor predictor, NDManager manager) {
        public Replica {
            Objects.requireNonNull(predictor, "predictor");
            Objects.requireNonNull(manager, "manager");
        }
    }

    private final List<Replica> replicas;
    /** The parts after the first; the first runs on the calling thread. */
    private final ExecutorService threads;

    /** @param replicas the same model on each device, at least two; the first on the windows' device */
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
        return spread(patches, PatchPredictor::logits);
    }

    /**
     * Split where every replica's head is pointwise: the head's input is spread like the logits, and the head runs
     * on the first replica, where that input comes back.
     */
    @Override
    public PointwiseHead pointwiseHead() {
        if (replicas.stream().anyMatch(r -> r.predictor().pointwiseHead() == null)) {
            return null;
        }
        return PointwiseHead.of(patches -> spread(patches, (predictor, part) -> predictor.pointwiseHead()
                .headInput(part)), replicas.get(0).predictor().pointwiseHead()::head);
    }

    /** {@code call} of each replica on its part of the batch, joined in window order on the batch's device. */
    private NDArray spread(NDArray patches, BiFunction<PatchPredictor, NDArray, NDArray> call) {
        int windows = Math.toIntExact(patches.getShape().get(0));
        int parts = Math.min(windows, replicas.size());
        List<Future<NDArray>> running = new ArrayList<>();
        NDArray[] results = new NDArray[parts];
        try {
            for (int d = parts - 1; d >= 0; d--) {
                int from = d * windows / parts;
                int to = (d + 1) * windows / parts;
                Replica replica = replicas.get(d);
                NDArray part = parts == 1 ? patches : patches.get(new NDIndex("{}:{}", from, to));
                if (d == 0) {
                    // the batch's own device and manager (the first replica is on the windows' device)
                    results[0] = call.apply(replica.predictor(), part);
                } else {
                    // PyTorch's grad mode and DJL's class loader are per thread: each part sets both
                    running.add(threads.submit(() -> DjlContext.call(() -> GradMode.with(false,
                            () -> run(replica, part, call)))));
                }
            }
            for (int i = 0; i < running.size(); i++) {
                results[parts - 1 - i] = running.get(i).get();
            }
        } catch (InterruptedException | ExecutionException | RuntimeException | Error e) {
            awaitAll(running);
            throw failure(e);
        }
        return parts == 1 ? results[0] : NDArrays.concat(new NDList(results), 0);
    }

    /**
     * What a batch's failure is thrown as: a part's own exception unwrapped, an Error (a heap OutOfMemoryError, which
     * the caller tells apart from a device's) thrown as itself, an interrupt passed on.
     */
    private static RuntimeException failure(Throwable e) {
        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
        if (cause instanceof Error error) {
            throw error;
        }
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new IllegalStateException("interrupted while the devices ran a batch", cause);
        }
        return cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
    }

    /**
     * Waits for every part still running, whatever its outcome: the caller closes the batch (whose slices the parts
     * read, and whose manager takes their logits) as soon as this one fails, and an out-of-memory retry must not
     * find a stale part still holding a device.
     */
    private static void awaitAll(List<Future<NDArray>> running) {
        boolean interrupted = false;
        for (Future<NDArray> f : running) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // finish waiting, then pass the interrupt on
                } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                    break; // this part's own failure; the first one seen is the one reported
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@code call} of a part, computed in a scope of the replica's manager on its device and handed back on the
     * part's device and in its manager.
     */
    private static NDArray run(Replica replica, NDArray part, BiFunction<PatchPredictor, NDArray, NDArray> call) {
        try (NDManager scope = replica.manager().newSubManager()) {
            NDArray moved = part.toDevice(scope.getDevice(), true);
            moved.attach(scope);
            NDArray back = call.apply(replica.predictor(), moved).toDevice(part.getDevice(), true);
            back.attach(part.getManager());
            return back;
        }
    }

    /** The replicas' reports joined, or null when none has one. */
    @Override
    public String takeReport() {
        String joined = replicas.stream().map(r -> r.predictor().takeReport()).filter(Objects::nonNull)
                .collect(Collectors.joining("; "));
        return joined.isEmpty() ? null : joined;
    }

    @Override
    public int models() {
        return replicas.get(0).predictor().models();
    }

    /**
     * Stops the threads and waits for them, so that the replicas' managers (their owners' to close, next) are not
     * in use; {@link #logits} never returns with a part still running, so this waits only when a batch is in flight
     * on another thread.
     */
    @Override
    public void close() {
        threads.shutdown();
        try {
            if (!threads.awaitTermination(1, TimeUnit.MINUTES)) {
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            threads.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}

package org.volseg.nn.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where networks run, as users choose it: {@code auto} takes the first GPU PyTorch can use and the CPU otherwise,
 * {@code cpu} always the CPU, {@code gpu} the first GPU, {@code gpu:N} GPU N and {@code gpu:N,M,…} several GPUs
 * (prediction spreads each window batch over them; training takes one), or a clear refusal. {@link #resolve()}
 * says which device(s) it will be and, when auto falls back to the CPU, why.
 *
 * @param kind which choice
 * @param gpus the GPUs' indices for {@link Kind#GPU} (0 for the first), at least one, each once
 */
public record Compute(Kind kind, List<Integer> gpus) {

    /** The kinds of choice. */
    public enum Kind { AUTO, CPU, GPU }

    public static final Compute AUTO = new Compute(Kind.AUTO, List.of(0));
    public static final Compute CPU = new Compute(Kind.CPU, List.of(0));
    public static final Compute GPU = new Compute(Kind.GPU, List.of(0));

    public Compute {
        if (kind == null || gpus == null || gpus.isEmpty() || gpus.stream().anyMatch(g -> g == null || g < 0)
                || gpus.stream().distinct().count() != gpus.size()) {
            throw new IllegalArgumentException("a device needs a kind and GPU indices of 0 or more, each once");
        }
        gpus = List.copyOf(gpus);
    }

    /** The first (for a single choice, the only) GPU's index. */
    public int gpu() {
        return gpus.get(0);
    }

    /**
     * Reads "auto", "cpu", "gpu", "gpu:N" or "gpu:N,M,…".
     *
     * @throws IllegalArgumentException saying what is allowed
     */
    public static Compute parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        switch (t) {
            case "", "auto":
                return AUTO;
            case "cpu":
                return CPU;
            case "gpu":
                return GPU;
            default:
                if (t.matches("gpu:\\d{1,3}(,\\d{1,3})*")) {
                    List<Integer> indices = new ArrayList<>();
                    for (String n : t.substring(4).split(",")) {
                        int index = Integer.parseInt(n);
                        if (indices.contains(index)) {
                            throw new IllegalArgumentException("device \"" + text + "\" names GPU " + index
                                    + " twice; name each GPU once");
                        }
                        indices.add(index);
                    }
                    return new Compute(Kind.GPU, indices);
                }
                throw new IllegalArgumentException("device \"" + text + "\" is not one of auto, cpu, gpu, gpu:N or "
                        + "gpu:N,M (N the GPU's index, 0 for the first)");
        }
    }

    /** As {@link #parse} reads it. */
    @Override
    public String toString() {
        return switch (kind) {
            case AUTO -> "auto";
            case CPU -> "cpu";
            case GPU -> gpus.equals(List.of(0)) ? "gpu"
                    : "gpu:" + gpus.stream().map(String::valueOf).collect(Collectors.joining(","));
        };
    }

    /** Whether this names more than one device. */
    public boolean isSpread() {
        return gpus.size() > 1;
    }

    /**
     * The device(s) this choice means on this machine.
     *
     * @param devices what DJL gets: one, or for {@code gpu:N,M,…} each GPU in the order given
     * @param note    "gpu(0) of 2", or "cpu" with why no GPU is used
     */
    public record Resolved(List<Device> devices, String note) {

        public Resolved {
            devices = List.copyOf(devices);
        }

        /** The first (for a single choice, the only) device. */
        public Device device() {
            return devices.get(0);
        }
    }

    /**
     * Resolves the choice against the loaded engine.
     *
     * @throws IllegalArgumentException for a GPU where PyTorch has none (or not that one), with the reason
     */
    public Resolved resolve() {
        return DjlContext.call(() -> {
            Engine engine = Engine.getEngine(DjlContext.ENGINE);
            int available = engine.hasCapability(StandardCapabilities.CUDA) ? engine.getGpuCount() : 0;
            if (kind == Kind.CPU) {
                return new Resolved(List.of(Device.cpu()), "cpu (as chosen)");
            }
            int highest = gpus.stream().mapToInt(Integer::intValue).max().getAsInt();
            if (available > highest) {
                return new Resolved(gpus.stream().map(Device::gpu).toList(), gpus.stream().map(g -> "gpu(" + g + ")")
                        .collect(Collectors.joining(", ")) + " of " + available);
            }
            String why = available > 0 ? "PyTorch sees " + available + " GPU(s), numbered from 0"
                    : EngineDoctor.gpuNote(engine, 0);
            if (kind == Kind.GPU) {
                throw new IllegalArgumentException("the device is set to " + this + ", but there is no such GPU "
                        + "PyTorch can use (" + why + "); choose auto or cpu");
            }
            return new Resolved(List.of(Device.cpu()), "cpu (" + why + ")");
        });
    }

    /**
     * Resolves a choice for training, which runs on one device.
     *
     * @throws IllegalArgumentException for several GPUs, or as {@link #resolve()}
     */
    public Resolved resolveOne() {
        if (isSpread()) {
            throw new IllegalArgumentException(this + " names " + gpus.size() + " GPUs, but training runs on one "
                    + "device (DJL has no distributed training): choose gpu:N, or train one model per GPU in parallel "
                    + "branches");
        }
        return resolve();
    }

    /** A new base manager on the one resolved device, for training (call inside {@link DjlContext}). */
    public NDManager newManager() {
        return NDManager.newBaseManager(resolveOne().device());
    }
}

package org.volseg.nn.inferers;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.volseg.core.data.Case;
import org.volseg.core.data.CaseVolumes;
import org.volseg.core.io.NiftiDatatype;
import org.volseg.core.io.NiftiHeader;
import org.volseg.core.io.NiftiReader;
import org.volseg.core.io.NiftiWriter;
import org.volseg.core.postprocessing.PostProcessing;
import org.volseg.core.transforms.AxisAlignedTransform;
import org.volseg.core.transforms.GeometricTransform;
import org.volseg.core.transforms.Preprocessing;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;
import org.volseg.nn.engine.Compute;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.Monitor;
import org.volseg.nn.engine.OutOfMemoryException;
import org.volseg.nn.networks.NetworkBundle;
import org.volseg.nn.ossnet.OssNetInference;

/**
 * Segments whole cases with a trained model: prepares each image as the model's training images were (its
 * {@link Preprocessing}), plans the memory ({@link InferencePlanner}), slides the network over it, and puts the
 * label map back on the input's own grid. When preprocessing only moved voxels (reorientation), the labels are
 * moved back; when it resampled, each class's probabilities are resampled back (trilinear) and the label taken
 * there, as nnU-Net does, so that boundaries do not get the staircase of nearest-neighbour label resampling. The
 * classes arrive one at a time, so that class-chunk stitching stays within its memory.
 */
public final class CasePredictor implements AutoCloseable {

    /**
     * How cases are predicted.
     *
     * @param window        the window settings (batch size and stitching as requested)
     * @param autoBatch     whether the planner chooses the batch size
     * @param autoStitching whether the planner chooses the stitching
     * @param budget        the memory to plan for, or null for what the device and the heap have free
     * @param occupancy     how an OSS-Net model queries its points, or null for its fastest procedure
     */
    public record Options(SlidingWindow.Settings window, boolean autoBatch, boolean autoStitching,
            InferencePlanner.Budget budget, OssNetInference.Procedure occupancy) {

        public Options(SlidingWindow.Settings window, boolean autoBatch, boolean autoStitching,
                InferencePlanner.Budget budget) {
            this(window, autoBatch, autoStitching, budget, null);
        }

        public Options(SlidingWindow.Settings window, boolean autoBatch, boolean autoStitching) {
            this(window, autoBatch, autoStitching, null);
        }

        /** These options with an OSS-Net model querying by {@code procedure} (null: its fastest). */
        public Options withOccupancy(OssNetInference.Procedure procedure) {
            return new Options(window, autoBatch, autoStitching, budget, procedure);
        }

        /** The window settings as they are. */
        public static Options fixed(SlidingWindow.Settings window) {
            return new Options(window, false, false);
        }

        /** The planner chooses batch size and stitching. */
        public static Options planned(SlidingWindow.Settings window) {
            return new Options(window, true, true);
        }
    }

    /**
     * A segmented image.
     *
     * @param labels the label map on the input's grid
     * @param plan   the memory plan it ran with
     * @param retry  what the out-of-memory retry did, or null when there was none
     * @param device the device that ran and why, when it was not the predictor's own (an {@code auto} choice's GPU
     *               ran out of memory, so the CPU ran), else null
     */
    public record Result(LabelMap labels, InferencePlan plan, String retry, String device) {

        public Result(LabelMap labels, InferencePlan plan, String retry) {
            this(labels, plan, retry, null);
        }
    }

    private final PredictingModel model;
    /** The managers of the model's replicas when {@link #open} made them (the first holds the windows), else empty. */
    private final List<NDManager> owned;
    private final Options options;
    /** The devices that share each window batch, one replica of the model on each. */
    private final List<Device> devices;
    /**
     * Opens the same models on the CPU, for a case that runs a GPU chosen by {@code auto} out of memory even with
     * half the batch; null where the device was chosen explicitly (then running out of memory is an error).
     */
    private DjlContext.IoWork<CasePredictor> cpuFallback;
    /** What {@link #cpuFallback} opened, kept for the cases after it. */
    private CasePredictor onCpu;

    /** A predictor for {@code model} on {@code device}, for a caller that owns the model's memory. */
    public CasePredictor(PredictingModel model, Options options, Device device) {
        this(model, options, List.of(device), List.of());
    }

    private CasePredictor(PredictingModel model, Options options, List<Device> devices, List<NDManager> owned) {
        this.model = model;
        this.options = options;
        this.devices = List.copyOf(devices);
        this.owned = List.copyOf(owned);
    }

    /** A predictor on a network the caller read, with the given window settings as they are. */
    public CasePredictor(NetworkBundle.Loaded model, SlidingWindow.Settings window) {
        this(PredictingModel.of(model), Options.fixed(window), Device.cpu());
    }

    /** A predictor with the default window settings for the bundle's training patch size. */
    public CasePredictor(NetworkBundle.Loaded model) {
        this(model, SlidingWindow.Settings.defaults(PredictingModel.patch(model.manifest())));
    }

    /**
     * Reads a bundle into a predictor on the {@code compute} device that owns the network's memory until
     * {@link #close()}: for callers that keep DJL at arm's length (the operations layer). {@code window} null means
     * the defaults for the bundle's patch.
     */
    public static CasePredictor open(Path bundle, SlidingWindow.Settings window, Compute compute)
            throws IOException {
        return open(bundle, window == null ? null : Options.fixed(window), compute);
    }

    /**
     * As {@link #open(Path, SlidingWindow.Settings, Compute)}, with planning options. With several devices
     * ({@code gpu:0,1}) the model is read onto each and every window batch spread over them
     * ({@link SpreadPredictor}); the planned (or given) window batch is each device's.
     */
    public static CasePredictor open(Path bundle, Options options, Compute compute) throws IOException {
        return open(List.of(bundle), options, compute);
    }

    /**
     * As {@link #open(Path, Options, Compute)} for one bundle, or for several as an ensemble that averages their
     * probabilities ({@link PredictingModel#ensemble}), with the first bundle's window and preprocessing.
     *
     * @throws IllegalArgumentException naming the bundle that was trained for other channels, labels,
     *                                  preprocessing or window than the first
     */
    public static CasePredictor open(List<Path> bundles, Options options, Compute compute) throws IOException {
        List<Device> devices = compute.resolve().devices();
        CasePredictor predictor = open(bundles, options, devices);
        if (compute.kind() == Compute.Kind.AUTO && devices.get(0).isGpu()) {
            predictor.cpuFallback = () -> open(bundles, options, List.of(Device.cpu()));
        }
        return predictor;
    }

    /** This predictor, running a case on {@code cpu}'s predictor when its own device runs out of memory. */
    CasePredictor withCpuFallback(DjlContext.IoWork<CasePredictor> cpu) {
        this.cpuFallback = cpu;
        return this;
    }

    /** As {@link #open(Path, Options, Compute)} on the given devices (tests spread over CPU replicas). */
    static CasePredictor open(Path bundle, Options options, List<Device> on) throws IOException {
        return open(List.of(bundle), options, on);
    }

    static CasePredictor open(List<Path> bundles, Options options, List<Device> on) throws IOException {
        return DjlContext.callIo(() -> {
            List<NDManager> managers = new ArrayList<>();
            try {
                List<PredictingModel> replicas = new ArrayList<>();
                for (Device d : on) {
                    NDManager m = NDManager.newBaseManager(d);
                    managers.add(m);
                    List<PredictingModel> members = new ArrayList<>();
                    for (Path bundle : bundles) {
                        members.add(PredictingModel.read(bundle, m, options == null ? null : options.occupancy()));
                    }
                    replicas.add(members.size() == 1 ? members.get(0) : PredictingModel.ensemble(members, bundles));
                }
                PredictingModel model = replicas.get(0);
                if (replicas.size() > 1) {
                    List<SpreadPredictor.Replica> spread = new ArrayList<>();
                    for (int d = 0; d < replicas.size(); d++) {
                        spread.add(new SpreadPredictor.Replica(replicas.get(d).predictor(), managers.get(d)));
                    }
                    model = new PredictingModel(new SpreadPredictor(spread), model.network(), model.parameters(),
                            model.channelNames(), model.labelValues(), model.preprocessing(), model.patch(),
                            model.manifest());
                }
                return new CasePredictor(model, options != null ? options
                        : Options.fixed(SlidingWindow.Settings.defaults(model.patch())), on, managers);
            } catch (IOException | RuntimeException e) {
                managers.forEach(NDManager::close);
                throw e;
            }
        });
    }

    /** What the model reports of the cases predicted since the last call (see {@link PatchPredictor#takeReport}). */
    public String takeModelReport() {
        return model.predictor().takeReport();
    }

    /** The model's window size. */
    public PredictingModel model() {
        return model;
    }

    /** Frees the network (and its replicas) when {@link #open} made it; a caller's network is left alone. */
    @Override
    public void close() {
        if (onCpu != null) {
            onCpu.close();
        }
        if (model.predictor() instanceof SpreadPredictor spread) {
            spread.close();
        }
        if (!owned.isEmpty()) {
            DjlContext.call(() -> {
                owned.forEach(NDManager::close);
                return null;
            });
        }
    }

    /**
     * The label map of {@code image} (raw intensities, any grid), on {@code image}'s grid.
     *
     * @param manager the parent of the windows' managers (nothing stays in it)
     * @throws IllegalArgumentException when the image's channel count is not the model's
     */
    public LabelMap predict(Volume image, NDManager manager, Monitor monitor) {
        return segment(image, null, manager, monitor).labels();
    }

    /**
     * Segments {@code image}, handing each class's probabilities on the input's grid to {@code maps} when it is
     * not null. Plans the memory first and reports the plan as progress; when the engine runs out of memory anyway
     * with more than one window per batch, retries once with half the batch; when a GPU that {@code auto} chose
     * runs out of memory even so, the case runs on the CPU, and the result says so.
     *
     * @throws OutOfMemoryException when it runs out of memory with nothing left to halve, or a second time, on a
     *                              device chosen explicitly or the CPU, or when the Java heap runs out
     */
    public Result segment(Volume image, SlidingWindow.ClassSink maps, NDManager manager, Monitor monitor) {
        try {
            return segmentHere(image, maps, manager, monitor);
        } catch (OutOfMemoryException e) {
            if (cpuFallback == null || e.getCause() instanceof OutOfMemoryError) {
                throw e; // the heap is the same on the CPU
            }
            String why = devices.stream().map(Device::toString).collect(Collectors.joining(", ")) + " ran out of "
                    + "memory (" + DjlContext.engineWords(e.getCause()) + ")";
            monitor.progress(0, why + "; running this case on the CPU");
            Result r = DjlContext.call(() -> {
                if (onCpu == null) {
                    try {
                        onCpu = cpuFallback.get();
                    } catch (IOException io) {
                        throw new java.io.UncheckedIOException(io);
                    }
                }
                if (onCpu.owned.isEmpty()) {
                    return onCpu.segmentHere(image, maps, manager, monitor);
                }
                try (NDManager scope = onCpu.owned.get(0).newSubManager()) {
                    return onCpu.segmentHere(image, maps, scope, monitor);
                }
            });
            return new Result(r.labels(), r.plan(), r.retry(), "cpu (" + why + ")");
        }
    }

    private Result segmentHere(Volume image, SlidingWindow.ClassSink maps, NDManager manager, Monitor monitor) {
        int channels = model.channelNames().size();
        if (image.channelCount() != channels) {
            throw new IllegalArgumentException("the image has " + image.channelCount() + " channel(s); the model "
                    + "was trained on " + channels + " " + model.channelNames());
        }
        // normalised window by window: no normalised copy of the image
        Preprocessing.Prepared prepared = model.preprocessing().prepareDeferringNormalization(image);
        InferencePlan plan = plan(image.geometry(), prepared, maps != null);
        monitor.progress(0, "plan: " + plan.describe());
        try {
            return new Result(run(image.geometry(), prepared, plan.window(), maps, manager, monitor), plan, null);
        } catch (RuntimeException | OutOfMemoryError e) {
            int batch = plan.window().batchSize() / devices.size(); // each device's
            if (!OutOfMemoryException.isOutOfMemory(e) || batch == 1 || e instanceof OutOfMemoryError) {
                throw outOfMemoryOr(e, plan);
            }
            String retry = "out of memory with " + batch + " windows per batch"
                    + (devices.size() > 1 ? " and device" : "") + " (" + DjlContext.engineWords(e)
                    + "); retried once with " + batch / 2;
            monitor.progress(0, retry);
            InferencePlanner.Job job = job(image.geometry(), prepared, maps != null);
            InferencePlan halved = InferencePlanner.spread(job, InferencePlanner.estimate(job,
                    plan.window().withBatchSize(batch / 2), plan.budget()), devices.size());
            try {
                return new Result(run(image.geometry(), prepared, halved.window(), maps, manager, monitor), halved,
                        retry);
            } catch (RuntimeException | OutOfMemoryError again) {
                throw outOfMemoryOr(again, halved);
            }
        }
    }

    /** The memory plan for one image on this predictor's device(s), each taking the same share of a batch. */
    private InferencePlan plan(Geometry input, Preprocessing.Prepared prepared, boolean maps) {
        InferencePlanner.Job job = job(input, prepared, maps);
        return InferencePlanner.plan(job, options.window(), options.autoBatch(), options.autoStitching(),
                options.budget() != null ? options.budget() : InferencePlanner.Budget.available(devices),
                devices.get(0).isGpu(), devices.size());
    }

    private InferencePlanner.Job job(Geometry input, Preprocessing.Prepared prepared, boolean maps) {
        return new InferencePlanner.Job(model.network(), model.parameters(), model.channelNames().size(),
                model.labelValues().length, input.voxels(), prepared.image().geometry().voxels(),
                prepared.image().geometry().nz(),
                prepared.transform().exact(), prepared.transform().isIdentity(), maps, model.predictor().models(),
                model.predictor().pointwiseHead() != null);
    }

    /** {@code e} as it is, or, when it is running out of memory, as one sentence with the plan and what to lower. */
    private static RuntimeException outOfMemoryOr(Throwable e, InferencePlan plan) {
        if (!OutOfMemoryException.isOutOfMemory(e)) {
            return e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
        boolean heap = e instanceof OutOfMemoryError;
        return new OutOfMemoryException((heap ? "the Java heap ran out (" + e.getMessage() + ")"
                : "the device ran out of memory (" + DjlContext.engineWords(e) + ")") + " with "
                + plan.describe() + "; " + (heap ? "choose float16 or class-chunk stitching, or give KNIME more "
                        + "memory (-Xmx in knime.ini)" : "lower the window batch, use a smaller patch when "
                                + "training, or choose the cpu device"), e);
    }

    private LabelMap run(Geometry input, Preprocessing.Prepared prepared, SlidingWindow.Settings window,
            SlidingWindow.ClassSink maps, NDManager manager, Monitor monitor) {
        GeometricTransform back = prepared.afterCrop().inverse(); // to the cropped grid, or the input's if no crop
        AxisAlignedTransform crop = prepared.crop();
        AxisAlignedTransform uncrop = crop == null ? null : crop.withFill(0, model.labelValues()[0]).inverse();
        Geometry cropped = crop == null ? input : crop.target();
        Geometry grid = prepared.image().geometry();
        LabelMap labels;
        if (back.exact() && maps == null) {
            // the labels are decided on the network's grid and moved back
            LabelMap decided = new SlidingWindow(window).labels(prepared.image(), prepared.scalings(),
                    model.predictor(), manager, monitor, model.labelValues());
            labels = back.isIdentity() ? decided : back.apply(decided);
        } else {
            // each class resampled back first (into a new array, the argmax's to keep), decided on the input's grid
            RunningArgmax argmax = new RunningArgmax(cropped.voxels(), maps == null);
            new SlidingWindow(window).stitch(prepared.image(), prepared.scalings(), model.predictor(), manager,
                    monitor, (k, classes, p) -> {
                        float[] onCropped = back.apply(new Volume(grid, p)).channel(0);
                        argmax.accept(k, classes, onCropped);
                        if (maps != null) {
                            // outside the crop the image was zero: background for certain
                            maps.accept(k, classes, uncrop == null ? onCropped : uncrop.apply(new Volume(cropped,
                                    onCropped), new float[] {k == 0 ? 1 : 0}).channel(0));
                        }
                    });
            labels = argmax.labels(cropped, model.labelValues());
        }
        return uncrop == null ? labels : uncrop.apply(labels);
    }

    /**
     * Segments a case into {@code output} as {@link #predict(Case, Path, IntFunction, PostProcessing, NDManager,
     * Monitor)}, in its own scope.
     */
    public Result predict(Case c, Path output, IntFunction<Path> mapFiles, PostProcessing post, Monitor monitor)
            throws IOException {
        if (owned.isEmpty()) {
            throw new IllegalStateException("a predictor built on a caller's network takes the caller's manager");
        }
        return DjlContext.callIo(() -> {
            try (NDManager scope = owned.get(0).newSubManager()) {
                return predict(c, output, mapFiles, post, scope, monitor);
            }
        });
    }

    /** Segments a case into {@code output} without probability maps. */
    public Result predict(Case c, Path output, PostProcessing post, Monitor monitor) throws IOException {
        return predict(c, output, null, post, monitor);
    }

    /**
     * Segments a case, cleans the label map as {@code post} says, and writes it to {@code output} (any NIfTI
     * layout), on the case's grid and with its first image's header fields (qform/sform codes, units), atomically:
     * a cancelled or failed run leaves no file. With {@code mapFiles}, each class's probabilities (float32, on the
     * case's grid) go to {@code mapFiles.apply(labelValue)}, moved into place only once the label map is written.
     */
    public Result predict(Case c, Path output, IntFunction<Path> mapFiles, PostProcessing post, NDManager manager,
            Monitor monitor) throws IOException {
        Volume image = CaseVolumes.image(c);
        NiftiHeader template = NiftiReader.readHeader(c.images().get(0)).header();
        List<Path[]> written = new ArrayList<>(); // {temporary, final}
        try {
            SlidingWindow.ClassSink maps = null;
            if (mapFiles != null) {
                NiftiWriter.Options floats = new NiftiWriter.Options(template.version(), NiftiDatatype.FLOAT32,
                        template.byteOrder(), 1, template, List.of());
                maps = (k, classes, p) -> {
                    Path target = mapFiles.apply(model.labelValues()[k]);
                    Path temporary = target.resolveSibling("." + target.getFileName() + ".partial.nii.gz");
                    try {
                        NiftiWriter.write(temporary, new Volume(image.geometry(), p), floats);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    if (written.stream().noneMatch(w -> w[1].equals(target))) {
                        written.add(new Path[] {temporary, target});
                    }
                };
            }
            Result result;
            try {
                result = segment(image, maps, manager, monitor);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("case " + c.id() + ": " + e.getMessage(), e);
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
            LabelMap labels = post.isNone() ? result.labels() : post.apply(result.labels());
            NiftiWriter.writeLabels(output, labels, new NiftiWriter.Options(template.version(), null,
                    template.byteOrder(), 1, template, List.of()));
            for (Path[] w : written) {
                Files.move(w[0], w[1], StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            written.clear();
            return new Result(labels, result.plan(), result.retry(), result.device());
        } finally {
            for (Path[] w : written) {
                Files.deleteIfExists(w[0]);
            }
        }
    }
}

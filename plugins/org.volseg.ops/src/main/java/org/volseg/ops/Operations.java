package org.volseg.ops;

import java.util.List;
import java.util.Optional;
import org.volseg.ops.api.Operation;
import org.volseg.ops.learner.OssNetLearner;
import org.volseg.ops.learner.SegmenterDistiller;
import org.volseg.ops.learner.SegmenterLearner;
import org.volseg.ops.overlay.SegmentationOverlay;
import org.volseg.ops.phantoms.SyntheticPhantoms;
import org.volseg.ops.points.PointSampler;
import org.volseg.ops.predictor.SegmenterPredictor;
import org.volseg.ops.scorer.SegmentationScorer;
import org.volseg.ops.torchscript.TorchScriptImporter;
import org.volseg.ops.volumereader.VolumeReader;

/** Every operation VolSeg has: one list for the command line, the KNIME adapter and the workflow runner. */
public final class Operations {

    private static final List<Operation<?>> ALL = List.of(new VolumeReader(), new SyntheticPhantoms(),
            new PointSampler(), new SegmenterLearner(), new OssNetLearner(), new SegmenterDistiller(), new TorchScriptImporter(), new SegmenterPredictor(),
            new SegmentationScorer(), new SegmentationOverlay());

    private Operations() {
    }

    public static List<Operation<?>> all() {
        return ALL;
    }

    public static Optional<Operation<?>> byId(String id) {
        return ALL.stream().filter(o -> o.id().equals(id)).findFirst();
    }

    /** The package of the KNIME node factories. */
    public static final String FACTORY_PACKAGE = "org.volseg.knime.nodes";

    /**
     * The KNIME node factory of an operation: "Volume Reader" → org.volseg.knime.nodes.VolumeReaderNodeFactory.
     * Saved workflows name nodes by this class, so the rule never changes.
     */
    public static String factoryClassName(Operation<?> operation) {
        return FACTORY_PACKAGE + "." + operation.name().replaceAll("[^A-Za-z0-9]", "") + "NodeFactory";
    }

    /** The operation a KNIME node factory runs. */
    public static Optional<Operation<?>> byFactory(String factoryClassName) {
        return ALL.stream().filter(o -> factoryClassName(o).equals(factoryClassName)).findFirst();
    }
}

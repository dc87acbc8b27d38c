package org.volseg.ops;

import java.util.List;
import java.util.Optional;
import org.volseg.ops.api.Operation;
import org.volseg.ops.overlay.SegmentationOverlay;
import org.volseg.ops.volumereader.VolumeReader;

/** Every operation VolSeg has: one list for the command line, the KNIME adapter and the workflow runner. */
public final class Operations {

    private static final List<Operation<?>> ALL = List.of(new VolumeReader(), new SegmentationOverlay());

    private Operations() {
    }

    public static List<Operation<?>> all() {
        return ALL;
    }

    public static Optional<Operation<?>> byId(String id) {
        return ALL.stream().filter(o -> o.id().equals(id)).findFirst();
    }
}

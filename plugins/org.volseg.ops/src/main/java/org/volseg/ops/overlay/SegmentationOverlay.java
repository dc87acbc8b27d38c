package org.volseg.ops.overlay;

import java.nio.file.Path;
import java.util.List;
import org.volseg.core.data.Case;
import org.volseg.core.io.NiftiReader;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;
import org.volseg.ops.api.ImageTable;
import org.volseg.ops.api.InvalidSettingsException;
import org.volseg.ops.api.Operation;
import org.volseg.ops.api.Port;
import org.volseg.ops.api.PortData;
import org.volseg.ops.api.PortKind;
import org.volseg.ops.api.PortSpec;
import org.volseg.ops.api.Progress;
import org.volseg.ops.api.Table;
import org.volseg.ops.api.VolumeTable;

/** The Segmentation Overlay node: each case's labels drawn over its image, three orthogonal views, as a PNG. */
public final class SegmentationOverlay implements Operation<SegmentationOverlaySettings> {

    @Override
    public String id() {
        return "segmentation-overlay";
    }

    @Override
    public String name() {
        return "Segmentation Overlay";
    }

    @Override
    public String summary() {
        return "Draws each case's label map over its image in three orthogonal views, as a PNG per case.";
    }

    @Override
    public String description() {
        return "For every case with a label file (a reference segmentation or a prediction), draws the sagittal, "
                + "coronal and axial slices through the centre of its labels: the image in grey (1st to 99th "
                + "percentile), each label in its own colour. Views are in world orientation whatever the file's "
                + "voxel order (anterior and superior up, the patient's right on the viewer's left, radiological "
                + "convention) and keep millimetres square. Cases without a label are skipped with a warning.";
    }

    @Override
    public String nodeType() {
        return "Visualizer";
    }

    @Override
    public Class<SegmentationOverlaySettings> settingsType() {
        return SegmentationOverlaySettings.class;
    }

    @Override
    public List<Port> inputs() {
        return List.of(new Port(PortKind.VOLUME_TABLE, "Volumes", "Cases with images and the label maps to draw."));
    }

    @Override
    public List<Port> outputs() {
        return List.of(new Port(PortKind.IMAGE_TABLE, "Overlays", "One PNG per labeled case."));
    }

    @Override
    public List<PortSpec> configure(SegmentationOverlaySettings settings, List<PortSpec> inputs) {
        return List.of(ImageTable.SPEC);
    }

    @Override
    public List<PortData> execute(SegmentationOverlaySettings settings, List<PortData> inputs, Progress progress)
            throws Exception {
        List<Case> cases = VolumeTable.cases((Table) inputs.get(0));
        Table.Builder out = new Table.Builder(ImageTable.SPEC);
        for (int i = 0; i < cases.size(); i++) {
            progress.checkCanceled();
            Case c = cases.get(i);
            progress.report((double) i / cases.size(), "drawing " + c.id());
            if (!c.labeled()) {
                progress.warn("case " + c.id() + " has no label file: no overlay drawn");
                continue;
            }
            Volume image = channels(c, settings.channel());
            LabelMap labels = NiftiReader.readLabels(c.label());
            if (!labels.geometry().sameGrid(image.geometry(), 1e-3)) {
                throw new InvalidSettingsException("case " + c.id() + ": the label " + c.label().getFileName()
                        + " is " + labels.geometry() + ", its image " + image.geometry());
            }
            byte[] png = new OverlayRenderer(image.channel(0), labels).render(settings.panelSize(),
                    settings.style().equals("outline"), settings.opacity());
            out.add(c.id(), png, labels.labels().length - (labels.histogram()[0] > 0 ? 1 : 0));
        }
        progress.report(1, "done");
        return List.of(out.build());
    }

    /** The requested channel, counting channels across a case's image files. */
    private static Volume channels(Case c, int channel) throws Exception {
        int seen = 0;
        for (Path file : c.images()) {
            Volume v = NiftiReader.read(file).volume();
            if (channel < seen + v.channelCount()) {
                return new Volume(v.geometry(), v.channel(channel - seen));
            }
            seen += v.channelCount();
        }
        throw new InvalidSettingsException("Image channel (channel) is " + channel + "; case " + c.id() + " has "
                + seen + " channel(s)");
    }
}

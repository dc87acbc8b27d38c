package org.volseg.ops.volumereader;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.volseg.core.data.Case;
import org.volseg.core.data.CaseChecks;
import org.volseg.core.data.Dataset;
import org.volseg.core.data.DatasetReaders;
import org.volseg.core.io.NiftiReader;
import org.volseg.core.volume.Geometry;
import org.volseg.ops.api.InvalidSettingsException;
import org.volseg.ops.api.Operation;
import org.volseg.ops.api.Port;
import org.volseg.ops.api.PortData;
import org.volseg.ops.api.PortKind;
import org.volseg.ops.api.PortSpec;
import org.volseg.ops.api.Progress;
import org.volseg.ops.api.Table;
import org.volseg.ops.api.VolumeTable;

/** The Volume Reader node: a dataset on disk → a table of its cases with their files and geometry. */
public final class VolumeReader implements Operation<VolumeReaderSettings> {

    @Override
    public String id() {
        return "volume-reader";
    }

    @Override
    public String name() {
        return "Volume Reader";
    }

    @Override
    public String summary() {
        return "Lists a dataset's cases (image channels, label, geometry) from a folder, a CSV manifest or a "
                + "Decathlon dataset.json.";
    }

    @Override
    public String description() {
        return "Reads how a dataset is laid out on disk and outputs one row per case with its image files, its "
                + "label file (empty for unlabeled cases), and its grid: dims, spacing in mm and orientation code. "
                + "Only headers are read; the volumes stay in their files. With geometry checking on, a case whose "
                + "channels or label lie on another grid is refused with the file named.";
    }

    @Override
    public String nodeType() {
        return "Source";
    }

    @Override
    public Class<VolumeReaderSettings> settingsType() {
        return VolumeReaderSettings.class;
    }

    @Override
    public List<Port> inputs() {
        return List.of();
    }

    @Override
    public List<Port> outputs() {
        return List.of(new Port(PortKind.VOLUME_TABLE, "Volumes", "One row per case: id, image and label paths, "
                + "channels, dims, spacing and orientation."));
    }

    @Override
    public List<PortSpec> configure(VolumeReaderSettings settings, List<PortSpec> inputs)
            throws InvalidSettingsException {
        if (settings.path() == null) {
            throw new InvalidSettingsException("Folder or manifest (path) is not set: choose the dataset's folder, "
                    + "CSV manifest or dataset.json");
        }
        if (settings.source().equals("folder") && !settings.imagePattern().contains("{id}")) {
            throw new InvalidSettingsException("Image pattern (image_pattern) '" + settings.imagePattern()
                    + "' has no {id}");
        }
        return List.of(VolumeTable.SPEC);
    }

    @Override
    public List<PortData> execute(VolumeReaderSettings settings, List<PortData> inputs, Progress progress)
            throws Exception {
        configure(settings, List.of());
        Path path = settings.path();
        progress.report(0, "reading " + path.getFileName());
        Dataset dataset = switch (settings.source()) {
            case "csv" -> DatasetReaders.csv(path);
            case "msd" -> DatasetReaders.msd(path);
            default -> DatasetReaders.folder(path, settings.imagePattern(), settings.labelPattern());
        };
        Table.Builder table = new Table.Builder(VolumeTable.SPEC);
        List<Case> cases = dataset.cases();
        for (int i = 0; i < cases.size(); i++) {
            progress.checkCanceled();
            Case c = cases.get(i);
            progress.report((double) i / cases.size(), "case " + c.id() + " (" + (i + 1) + " of " + cases.size()
                    + ")");
            Geometry g = settings.checkGeometry() ? CaseChecks.checkGeometry(c)
                    : NiftiReader.readHeader(c.images().get(0)).header().geometry();
            int channels = 0;
            for (Path image : c.images()) {
                channels += NiftiReader.readHeader(image).header().frames();
            }
            table.add(c.id(), c.images().stream().map(Path::toString).collect(Collectors.joining(";")),
                    c.labelFile().map(Path::toString).orElse(null), channels, g.nx(), g.ny(), g.nz(), g.spacingX(),
                    g.spacingY(), g.spacingZ(), g.orientation());
        }
        progress.report(1, cases.size() + " cases");
        return List.of(table.build());
    }
}

package org.volseg.ops.phantoms;

import java.nio.file.Path;
import java.util.List;
import org.volseg.core.data.synthetic.MrContrast;
import org.volseg.core.data.synthetic.PhantomDataset;
import org.volseg.core.data.synthetic.PhantomFiles;
import org.volseg.core.data.synthetic.PhantomSpec;
import org.volseg.ops.api.Operation;
import org.volseg.ops.api.Port;
import org.volseg.ops.api.PortData;
import org.volseg.ops.api.PortKind;
import org.volseg.ops.api.PortSpec;
import org.volseg.ops.api.Progress;
import org.volseg.ops.api.Table;
import org.volseg.ops.api.VolumeTable;

/** The Synthetic Phantoms node: a seeded brain-tumour-like dataset written to NIfTI, for trying pipelines. */
public final class SyntheticPhantoms implements Operation<SyntheticPhantomsSettings> {

    @Override
    public String id() {
        return "synthetic-phantoms";
    }

    @Override
    public String name() {
        return "Synthetic Phantoms";
    }

    @Override
    public String summary() {
        return "Generates a seeded brain-tumour-like dataset (4 MRI-like channels, 3 nested lesion labels) as NIfTI.";
    }

    @Override
    public String description() {
        return "Writes labeled cases that look like a brain-tumour task: a head with scalp, grey and white matter, a "
                + "smooth bias field, and nested lesions of random shape labelled as BraTS 2023 does (1 necrotic "
                + "core, 2 edema, 3 enhancing tumour), in four channels with BraTS-like contrasts (T1, T1ce, T2, "
                + "FLAIR) and Rician noise. Each case is a folder <id>/ with <id>_t1.nii.gz ... <id>_seg.nii.gz, as "
                + "BraTS lays them out. The same seed gives the same cases on every machine, so workflows built on "
                + "them are reproducible tests.";
    }

    @Override
    public String nodeType() {
        return "Source";
    }

    @Override
    public Class<SyntheticPhantomsSettings> settingsType() {
        return SyntheticPhantomsSettings.class;
    }

    @Override
    public List<Port> inputs() {
        return List.of();
    }

    @Override
    public List<Port> outputs() {
        return List.of(new Port(PortKind.VOLUME_TABLE, "Volumes", "The generated cases with their files."));
    }

    @Override
    public List<PortSpec> configure(SyntheticPhantomsSettings settings, List<PortSpec> inputs) {
        return List.of(VolumeTable.SPEC);
    }

    @Override
    public List<PortData> execute(SyntheticPhantomsSettings s, List<PortData> inputs, Progress progress)
            throws Exception {
        Path folder = s.folder() != null ? s.folder() : Path.of(System.getProperty("java.io.tmpdir"),
                "volseg-phantoms-" + s.count() + "x" + s.size() + "-seed" + s.seed());
        progress.report(0, "generating " + s.count() + " cases in " + folder);
        PhantomDataset dataset = new PhantomDataset(s.seed(), PhantomSpec.of(s.size(), s.size(), s.size(),
                s.spacing(), s.spacing(), s.spacing()));
        Table.Builder table = new Table.Builder(VolumeTable.SPEC);
        for (int i = 0; i < s.count(); i++) {
            progress.checkCanceled();
            progress.report((double) i / s.count(), "case " + (i + 1) + " of " + s.count());
            String id = PhantomDataset.id(i);
            Path caseFolder = PhantomFiles.write(dataset.generate(i), folder);
            String images = java.util.Arrays.stream(MrContrast.values())
                    .map(c -> PhantomFiles.channelFile(caseFolder, id, c).toString())
                    .collect(java.util.stream.Collectors.joining(";"));
            table.add(id, images, PhantomFiles.labelFile(caseFolder, id).toString(), MrContrast.values().length,
                    s.size(), s.size(), s.size(), s.spacing(), s.spacing(), s.spacing(), "RAS");
        }
        progress.report(1, s.count() + " cases");
        return List.of(table.build());
    }
}

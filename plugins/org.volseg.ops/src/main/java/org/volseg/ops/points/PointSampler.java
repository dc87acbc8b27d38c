package org.volseg.ops.points;

import java.util.List;
import org.volseg.core.data.Case;
import org.volseg.core.data.CaseVolumes;
import org.volseg.core.sampling.PointSet;
import org.volseg.core.volume.LabelMap;
import org.volseg.ops.api.InvalidSettingsException;
import org.volseg.ops.api.Operation;
import org.volseg.ops.api.PointTable;
import org.volseg.ops.api.Port;
import org.volseg.ops.api.PortData;
import org.volseg.ops.api.PortKind;
import org.volseg.ops.api.PortSpec;
import org.volseg.ops.api.Progress;
import org.volseg.ops.api.Table;
import org.volseg.ops.api.VolumeTable;

/**
 * The OSS-Net Point Sampler node ({@code volseg sample-points}): the points an occupancy network learns from, as a
 * table users can look at, plot and filter.
 */
public final class PointSampler implements Operation<PointSamplerSettings> {

    @Override
    public String id() {
        return "sample-points";
    }

    @Override
    public String name() {
        return "OSS-Net Point Sampler";
    }

    @Override
    public String summary() {
        return "Draws the points an occupancy network (OSS-Net) trains on: uniform, or partly near label borders.";
    }

    @Override
    public String description() {
        return "For each labeled case, draws points at continuous positions on its grid, as OSS-Net samples its "
                + "training points: a share of them in the band within a few voxels of a label border (voxels with "
                + "a neighbour of another label, so multi-class labels count every boundary), the rest uniform "
                + "over the grid, shuffled together. Each row gives the case, the voxel and world positions (mm, "
                + "the image's affine), the label at the point (its nearest voxel) and whether it was drawn near a "
                + "border or uniformly. The draw is seeded per case: the same seed gives the same points. Unlike "
                + "the reference code, which draws integer voxels over all but the last index of each axis, "
                + "positions are uniform over the whole grid.";
    }

    @Override
    public String nodeType() {
        return "Manipulator";
    }

    @Override
    public Class<PointSamplerSettings> settingsType() {
        return PointSamplerSettings.class;
    }

    @Override
    public List<Port> inputs() {
        return List.of(new Port(PortKind.VOLUME_TABLE, "Volumes", "Labeled cases."));
    }

    @Override
    public List<Port> outputs() {
        return List.of(new Port(PortKind.POINT_TABLE, "Points", "One row per point: case, voxel and world "
                + "position, label, stratum."));
    }

    @Override
    public List<PortSpec> configure(PointSamplerSettings s, List<PortSpec> inputs) {
        return List.of(PointTable.SPEC);
    }

    @Override
    public List<PortData> execute(PointSamplerSettings s, List<PortData> inputs, Progress progress)
            throws Exception {
        List<Case> cases = VolumeTable.cases((Table) inputs.get(0));
        Table.Builder table = new Table.Builder(PointTable.SPEC);
        for (int i = 0; i < cases.size(); i++) {
            progress.checkCanceled();
            Case c = cases.get(i);
            if (!c.labeled()) {
                throw new InvalidSettingsException("case " + c.id() + " has no label map; points carry the label "
                        + "at their position, so the sampler needs labeled cases");
            }
            progress.report((double) i / cases.size(), "sampling " + c.id() + " (" + (i + 1) + " of "
                    + cases.size() + ")");
            LabelMap labels = CaseVolumes.labels(c);
            org.volseg.core.sampling.PointSampler sampler = s.borderShare() > 0
                    ? org.volseg.core.sampling.PointSampler.boundaryBiased(labels, s.borderShare(), s.bandRadius())
                    : org.volseg.core.sampling.PointSampler.uniform(labels);
            PointSet points = sampler.sample(s.points(), seedOf(s.seed(), c.id()));
            double[] v = points.voxelCoordinates();
            double[] w = points.worldCoordinates();
            for (int p = 0; p < points.size(); p++) {
                table.add(c.id(), v[3 * p], v[3 * p + 1], v[3 * p + 2], w[3 * p], w[3 * p + 1], w[3 * p + 2],
                        points.label(p), points.stratum(p).label());
            }
        }
        progress.report(1, cases.size() + " cases, " + (long) cases.size() * s.points() + " points");
        return List.of(table.build());
    }

    /** A case's own seed: the draw does not depend on which cases come before it. */
    static long seedOf(long seed, String caseId) {
        long h = seed;
        for (char ch : caseId.toCharArray()) {
            h = h * 1_000_003L + ch;
        }
        return h;
    }
}

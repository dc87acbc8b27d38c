package org.volseg.ops.api;

import java.util.List;
import org.volseg.ops.api.TableSpec.CellType;
import org.volseg.ops.api.TableSpec.Column;

/** The PointTable port: points sampled in cases, so that users can see what an occupancy network learns from. */
public final class PointTable {

    public static final TableSpec SPEC = new TableSpec(PortKind.POINT_TABLE, List.of(
            new Column("case_id", CellType.STRING, "the case the point lies in"),
            new Column("voxel_x", CellType.DOUBLE, "position along the image's x axis, in voxels"),
            new Column("voxel_y", CellType.DOUBLE, "position along the image's y axis, in voxels"),
            new Column("voxel_z", CellType.DOUBLE, "position along the image's z axis, in voxels"),
            new Column("world_x", CellType.DOUBLE, "world position x (mm, the image's affine)"),
            new Column("world_y", CellType.DOUBLE, "world position y (mm)"),
            new Column("world_z", CellType.DOUBLE, "world position z (mm)"),
            new Column("label", CellType.INT, "the label at the point"),
            new Column("stratum", CellType.STRING, "how it was drawn: uniform or border")));

    private PointTable() {
    }
}

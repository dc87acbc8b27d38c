package org.volseg.ops.api;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.volseg.core.data.Case;
import org.volseg.ops.api.TableSpec.CellType;
import org.volseg.ops.api.TableSpec.Column;

/** The VolumeTable port: one row per case with its files and grid. */
public final class VolumeTable {

    public static final TableSpec SPEC = new TableSpec(PortKind.VOLUME_TABLE, List.of(
            new Column("case_id", CellType.STRING, "the case's id"),
            new Column("images", CellType.STRING, "image channel files, ';'-separated"),
            new Column("label", CellType.STRING, "label file (missing for unlabeled cases)"),
            new Column("channels", CellType.INT, "image channels"),
            new Column("nx", CellType.INT, "voxels along x"),
            new Column("ny", CellType.INT, "voxels along y"),
            new Column("nz", CellType.INT, "voxels along z"),
            new Column("spacing_x", CellType.DOUBLE, "voxel size along x in mm"),
            new Column("spacing_y", CellType.DOUBLE, "voxel size along y in mm"),
            new Column("spacing_z", CellType.DOUBLE, "voxel size along z in mm"),
            new Column("orientation", CellType.STRING, "orientation code, e.g. RAS")));

    /**
     * A VolumeTable with more columns after the standard ones: every node that reads a VolumeTable reads the
     * standard columns by position and ignores the rest.
     */
    public static TableSpec extendedWith(Column... more) {
        List<Column> columns = new java.util.ArrayList<>(SPEC.columns());
        columns.addAll(List.of(more));
        return new TableSpec(PortKind.VOLUME_TABLE, columns);
    }

    private VolumeTable() {
    }

    /** The cases a VolumeTable lists. */
    public static List<Case> cases(Table table) {
        return table.rows().stream().map(row -> {
            String id = (String) row.get(SPEC.index("case_id"));
            List<Path> images = Arrays.stream(((String) row.get(SPEC.index("images"))).split(";"))
                    .map(Path::of).toList();
            Object label = row.get(SPEC.index("label"));
            return new Case(id, images, label == null ? null : Path.of((String) label));
        }).toList();
    }
}

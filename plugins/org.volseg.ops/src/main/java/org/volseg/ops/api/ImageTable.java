package org.volseg.ops.api;

import java.util.List;
import org.volseg.ops.api.TableSpec.CellType;
import org.volseg.ops.api.TableSpec.Column;

/** The ImageTable port: one PNG per case. */
public final class ImageTable {

    public static final TableSpec SPEC = new TableSpec(PortKind.IMAGE_TABLE, List.of(
            new Column("case_id", CellType.STRING, "the case's id"),
            new Column("image", CellType.PNG, "the picture"),
            new Column("labels", CellType.INT, "labels drawn (background not counted)")));

    private ImageTable() {
    }
}

package org.volseg.core.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One subject of a dataset: an id, its image channels (one file per channel, or one 4D file holding them all),
 * and its label map when it has one.
 *
 * @param id     unique within its dataset; used to name outputs
 * @param images the image files, in channel order
 * @param label  the label map file, or null for an unlabeled case
 */
public record Case(String id, List<Path> images, Path label) {

    public Case {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a case needs an id");
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException("case " + id + " has no image");
        }
        images = List.copyOf(images);
    }

    public Optional<Path> labelFile() {
        return Optional.ofNullable(label);
    }

    public boolean labeled() {
        return label != null;
    }
}

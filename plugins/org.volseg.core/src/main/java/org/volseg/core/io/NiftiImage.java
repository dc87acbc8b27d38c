package org.volseg.core.io;

import java.nio.file.Path;
import java.util.List;
import org.volseg.core.volume.Volume;

/**
 * A NIfTI file as read: its header and extensions (kept for writing back) and its voxels as a float volume
 * (scaled, in millimetre geometry).
 *
 * @param source     the file it came from
 * @param header     the header as stored
 * @param extensions the header extensions, in file order
 * @param volume     the voxels
 */
public record NiftiImage(Path source, NiftiHeader header, List<NiftiExtension> extensions, Volume volume) {
}

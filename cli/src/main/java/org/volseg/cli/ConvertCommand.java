package org.volseg.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.volseg.core.io.NiftiDatatype;
import org.volseg.core.io.NiftiImage;
import org.volseg.core.io.NiftiReader;
import org.volseg.core.io.NiftiWriter;
import org.volseg.core.transforms.Reorientation;
import org.volseg.core.volume.Volume;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code volseg convert IN OUT}: any NIfTI in, any NIfTI out (format from OUT's name), geometry kept. */
@Command(name = "convert", description = "Convert between .nii, .nii.gz and .hdr/.img, NIfTI-1 and NIfTI-2, "
        + "datatypes and voxel orders, keeping the geometry, header fields and extensions.")
final class ConvertCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "the file to read")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "the file to write: .nii, .nii.gz, .hdr or .hdr.gz")
    Path out;

    @Option(names = "--dtype", paramLabel = "TYPE", converter = DatatypeConverter.class,
            description = "voxel type on disk: uint8, int8, int16, uint16, int32, uint32, int64, uint64, float32, "
                    + "float64 (default: the input's; integers are scaled when the values need it)")
    NiftiDatatype datatype;

    @Option(names = "--nifti-version", paramLabel = "1|2", description = "NIfTI version (default: the input's)")
    Integer version;

    @Option(names = "--reorient", paramLabel = "CODE", description = "reorder and flip the voxel axes to this "
            + "orientation (e.g. RAS, LPS); world positions are kept exactly, only the storage order changes")
    String orientation;

    @Override
    public Integer call() throws Exception {
        NiftiImage image = NiftiReader.read(in);
        NiftiWriter.Options options = NiftiWriter.Options.like(image).withDatatype(datatype);
        if (version != null) {
            options = options.withVersion(version);
        }
        Volume volume = image.volume();
        if (orientation != null) {
            volume = Reorientation.to(volume.geometry(), orientation.toUpperCase(java.util.Locale.ROOT)).apply(volume);
        }
        NiftiWriter.write(out, volume, options);
        spec.commandLine().getOut().println("wrote " + out + " (" + volume.geometry() + ")");
        return 0;
    }

    /** Datatype names as users type them. */
    static final class DatatypeConverter implements picocli.CommandLine.ITypeConverter<NiftiDatatype> {
        @Override
        public NiftiDatatype convert(String value) {
            NiftiDatatype type = NiftiDatatype.ofName(value);
            if (!type.writable()) {
                throw new IllegalArgumentException("VolSeg does not write " + type + " voxels");
            }
            return type;
        }
    }
}

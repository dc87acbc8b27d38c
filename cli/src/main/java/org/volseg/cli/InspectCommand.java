package org.volseg.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.volseg.core.io.NiftiSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code volseg inspect FILE}: what fslinfo, fslstats and nibabel's header dump show, in one place. */
@Command(name = "inspect", description = "Show a NIfTI file's format, datatype, dims, spacing, orientation, "
        + "affine (and whether it came from sform, qform or pixdim), scaling and value statistics.")
final class InspectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "a .nii, .nii.gz, .hdr or .img file")
    Path file;

    @Option(names = "--json", description = "print one JSON object instead of text")
    boolean json;

    @Override
    public Integer call() throws Exception {
        NiftiSummary summary = NiftiSummary.of(file);
        if (json) {
            spec.commandLine().getOut().println(new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                    .writeValueAsString(summary));
        } else {
            summary.lines().forEach(spec.commandLine().getOut()::println);
        }
        return 0;
    }
}

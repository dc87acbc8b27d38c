package org.volseg.ops.workflow;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.volseg.core.io.VolumeFormatException;

/**
 * Hostile workflow.knime files for the headless runner: only a VolumeFormatException naming the file may escape.
 * Regression inputs in CI; {@code JAZZER_FUZZ=1} searches for new ones.
 */
class WorkflowFuzzTest {

    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("volseg-workflow-fuzz");
            WorkflowWriter.write(DIR, List.of(new WorkflowWriter.NodeSpec("volume-reader", Map.of())), List.of());
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void workflowFile(byte[] bytes) throws IOException {
        Files.write(DIR.resolve("workflow.knime"), bytes);
        try {
            new WorkflowRunner(DIR).order();
        } catch (VolumeFormatException expected) {
            // refused in one sentence
        }
    }
}

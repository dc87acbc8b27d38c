package org.volseg.ops.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.core.io.VolumeFormatException;

class WorkflowRunnerTest {

    @TempDir
    Path dir;

    @Test
    void anExternalEntityIsRefusedNotFollowed() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "do not read");
        Path workflow = dir.resolve("wf");
        WorkflowWriter.write(workflow, List.of(new WorkflowWriter.NodeSpec("volume-reader", Map.of())), List.of());
        Files.writeString(workflow.resolve("workflow.knime"), "<?xml version=\"1.0\"?><!DOCTYPE config [<!ENTITY x "
                + "SYSTEM \"" + secret.toUri() + "\">]><config key=\"workflow.knime\">&x;</config>");
        assertThatThrownBy(() -> new WorkflowRunner(workflow)).isInstanceOf(VolumeFormatException.class)
                .hasMessageStartingWith("workflow.knime: xml: is not valid XML")
                .hasMessageNotContaining("do not read");
    }

    @Test
    void nodesRunInTopologicalOrderWhateverTheirIds() throws Exception {
        Path workflow = dir.resolve("order");
        WorkflowWriter.write(workflow, List.of(
                new WorkflowWriter.NodeSpec("segmentation-overlay", Map.of()),
                new WorkflowWriter.NodeSpec("synthetic-phantoms", Map.of())),
                List.of(new WorkflowWriter.Link(2, 0, 1, 0)));
        assertThat(new WorkflowRunner(workflow).order()).extracting(n -> n.name())
                .containsExactly("Synthetic Phantoms", "Segmentation Overlay");
    }
}

package org.volseg.ops.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The templates in test-workflows/ are exactly what {@link WorkflowTemplates} writes (regenerate them if not). */
class WorkflowTemplatesTest {

    private static final Path SHIPPED = Path.of("..", "..", "test-workflows");

    @Test
    void theShippedTemplatesAreCurrent(@TempDir Path dir) throws Exception {
        WorkflowTemplates.writeAll(dir);
        List<Path> written;
        try (Stream<Path> files = Files.walk(dir)) {
            written = files.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
        }
        assertThat(written).isNotEmpty();
        for (Path file : written) {
            assertThat(SHIPPED.resolve(file)).as("%s (regenerate: WorkflowTemplatesTest's main)", file)
                    .hasSameTextualContentAs(dir.resolve(file));
        }
    }

    /** Rewrites test-workflows/ from the definitions: run from plugins/org.volseg.ops. */
    public static void main(String[] args) throws Exception {
        WorkflowTemplates.writeAll(SHIPPED);
    }
}

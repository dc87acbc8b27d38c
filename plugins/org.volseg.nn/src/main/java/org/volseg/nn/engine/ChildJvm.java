package org.volseg.nn.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a measurement in a fresh JVM on this process's class path (the command line and benchmarks; not inside
 * OSGi). A process's memory high-water mark only rises, so each peak is measured in a process of its own. The child
 * prints its result as one line of JSON, last.
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * @param main       the class whose main runs
     * @param jvmOptions options such as -Xmx2g (offline DJL is always set)
     * @param args       the main's arguments
     * @param what       what is measured, for the message when the child fails
     * @param livePeaks  whether glibc maps every large block on its own ({@code MALLOC_MMAP_THRESHOLD_}), so that
     *                   the peak is that of live tensors, not of the allocator's caching (every large allocation
     *                   then costs page faults: PyTorch runs up to 2.5 times slower)
     * @return the last line of the child's output that starts with '{', as JSON
     * @throws IOException when the child fails, with its exit code and last lines of errors
     */
    public static JsonNode run(Class<?> main, List<String> jvmOptions, List<String> args, String what,
            boolean livePeaks) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Dai.djl.offline=true"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        Path errors = Files.createTempFile("volseg-child", ".log");
        builder.redirectError(errors.toFile());
        if (livePeaks) {
            builder.environment().put("MALLOC_MMAP_THRESHOLD_", "131072");
        }
        try {
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                List<String> log = Files.readAllLines(errors);
                throw new IOException(what + " failed (exit " + process.exitValue() + "): " + String.join(" | ",
                        log.subList(Math.max(0, log.size() - 5), log.size())));
            }
            String last = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow(() ->
                    new IOException(what + " printed no result"));
            return new ObjectMapper().readTree(last);
        } finally {
            Files.deleteIfExists(errors);
        }
    }
}

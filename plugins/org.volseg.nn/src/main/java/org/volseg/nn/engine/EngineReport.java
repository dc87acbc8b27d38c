package org.volseg.nn.engine;

/**
 * What DJL's engine is and can do on this machine: versions, threads, GPUs (and why none), and a conv3d it ran.
 *
 * @param djlVersion     DJL's own version
 * @param engineName     the engine DJL loaded
 * @param engineVersion  the native library version the engine reports
 * @param offline        whether DJL is barred from downloading
 * @param cpuThreads     PyTorch's intra-op threads
 * @param gpuCount       CUDA devices PyTorch can use
 * @param gpuNote        the GPUs found, or why PyTorch runs on the CPU
 * @param conv3d         a tiny 3D convolution run on the CPU
 */
public record EngineReport(String djlVersion, String engineName, String engineVersion, boolean offline,
        int cpuThreads, int gpuCount, String gpuNote, Conv3dCheck conv3d) {

    /**
     * A 1×1×4³ volume of ones convolved with a 3³ kernel of ones: every output voxel must be 27.
     *
     * @param outputShape the output's shape
     * @param sum         the sum of the output
     * @param expectedSum what the sum must be
     * @param millis      how long it took
     */
    public record Conv3dCheck(String outputShape, double sum, double expectedSum, double millis) {

        public boolean ok() {
            return Math.abs(sum - expectedSum) < 1e-3;
        }
    }
}

package org.volseg.nn.engine;
/** Progress and cancellation for long work in this bundle; the operations layer adapts its own Progress to it. */
public interface Monitor {
    /** @param fraction 0..1 of the work done */
    void progress(double fraction, String message);
    /** Throws java.util.concurrent.CancellationException when the user asked to stop. */
    void checkCanceled();
    Monitor SILENT = new Monitor() { public void progress(double f, String m) { } public void checkCanceled() { } };
}

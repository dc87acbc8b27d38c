package org.volseg.nn.engine;
/** Progress and cancellation for long work in this bundle; the operations layer adapts its own Progress to it. */
public interface Monitor {
    /** @param fraction 0..1 of the work done */
    void progress(double fraction, String message);
    /** Throws java.util.concurrent.CancellationException when the user asked to stop. */
    void checkCanceled();
    /** This monitor for a part of the work: its 0..1 maps onto {@code from}..{@code to} here. */
    default Monitor slice(double from, double to) {
        Monitor whole = this;
        return new Monitor() {
            @Override
            public void progress(double fraction, String message) {
                whole.progress(from + (to - from) * fraction, message);
            }

            @Override
            public void checkCanceled() {
                whole.checkCanceled();
            }
        };
    }

    Monitor SILENT = new Monitor() { public void progress(double f, String m) { } public void checkCanceled() { } };

    /** Adds every message to {@code messages}; never cancels (tests, as the operations' Progress.recording). */
    static Monitor recording(java.util.List<String> messages) {
        return new Monitor() {
            @Override
            public void progress(double fraction, String message) {
                messages.add(message);
            }

            @Override
            public void checkCanceled() {
            }
        };
    }
}

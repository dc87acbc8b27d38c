package org.volseg.ops.api;

/**
 * Where an operation reports how far it is and learns that the user cancelled. KNIME maps it to the node's
 * progress bar and cancel button, the command line to a progress bar or progress lines.
 */
public interface Progress {

    /** The fraction done (0 to 1) of this progress's share, with what is happening now. */
    void report(double fraction, String message);

    /**
     * Throws when the user has cancelled; long work calls it between cases, batches and tiles.
     *
     * @throws CanceledException when cancelled
     */
    void checkCanceled() throws CanceledException;

    /** A warning the user should see (KNIME's warning triangle, a line on the command line). */
    void warn(String message);

    /**
     * A fact worth keeping once the work is done, such as which device ran and why (KNIME's node log, a line on the
     * command line); progress messages pass, these stay. Dropped unless the progress keeps a log.
     */
    default void log(String message) {
    }

    /** {@link #report} and {@link #log} at once: a step whose message is also worth keeping. */
    default void reportAndLog(double fraction, String message) {
        report(fraction, message);
        log(message);
    }

    /** The part of this progress from {@code from} to {@code to}, for one phase of the work. */
    default Progress slice(double from, double to) {
        Progress parent = this;
        return new Progress() {
            @Override
            public void report(double fraction, String message) {
                parent.report(from + (to - from) * Math.max(0, Math.min(1, fraction)), message);
            }

            @Override
            public void checkCanceled() throws CanceledException {
                parent.checkCanceled();
            }

            @Override
            public void warn(String message) {
                parent.warn(message);
            }

            @Override
            public void log(String message) {
                parent.log(message);
            }
        };
    }

    /**
     * This progress as the networks' {@link org.volseg.nn.engine.Monitor}: a cancel surfaces there as a
     * {@link java.util.concurrent.CancellationException}, which {@link #callNetworks} turns back into ours.
     */
    default org.volseg.nn.engine.Monitor monitor() {
        Progress self = this;
        return new org.volseg.nn.engine.Monitor() {
            @Override
            public void progress(double fraction, String message) {
                self.report(fraction, message);
            }

            @Override
            public void checkCanceled() {
                try {
                    self.checkCanceled();
                } catch (CanceledException e) {
                    throw new java.util.concurrent.CancellationException("cancelled");
                }
            }
        };
    }

    /**
     * Runs network work that reports through {@link #monitor()}, turning its cancellation back into a
     * {@link CanceledException}, the exception every operation throws when cancelled.
     */
    static <T> T callNetworks(java.util.concurrent.Callable<T> work) throws Exception {
        try {
            return work.call();
        } catch (java.util.concurrent.CancellationException e) {
            throw new CanceledException();
        }
    }

    /** Reports nothing, never cancels, collects no warnings. */
    static Progress silent() {
        return new Progress() {
            @Override
            public void report(double fraction, String message) {
            }

            @Override
            public void checkCanceled() {
            }

            @Override
            public void warn(String message) {
            }
        };
    }

    /** Adds every message to {@code messages}, warnings as "warning: …", logged facts as "log: …"; never cancels. */
    static Progress recording(java.util.List<String> messages) {
        return new Progress() {
            @Override
            public void report(double fraction, String message) {
                messages.add(message);
            }

            @Override
            public void checkCanceled() {
            }

            @Override
            public void warn(String message) {
                messages.add("warning: " + message);
            }

            @Override
            public void log(String message) {
                messages.add("log: " + message);
            }
        };
    }

    /** The user cancelled. */
    class CanceledException extends Exception {
        private static final long serialVersionUID = 1L;

        public CanceledException() {
            super("cancelled");
        }
    }
}

package org.volseg.cli;

import java.io.PrintWriter;
import org.volseg.ops.api.Progress;

/**
 * Progress on the command line: a bar redrawn in place on a terminal, plain lines (at most one per whole percent)
 * when the output is a log file or a pipe.
 */
final class TerminalProgress implements Progress {

    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final boolean terminal = System.console() != null;
    private int lastPercent = -1;

    TerminalProgress(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void report(double fraction, String message) {
        int percent = (int) Math.round(100 * Math.max(0, Math.min(1, fraction)));
        if (terminal) {
            int filled = percent * WIDTH / 100;
            err.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + percent + "% " + message
                    + "\u001b[K");
            if (percent == 100) {
                err.println();
            }
        } else if (percent != lastPercent) {
            err.printf("[%3d%%] %s%n", percent, message);
        }
        lastPercent = percent;
        err.flush();
    }

    @Override
    public void checkCanceled() {
        // Ctrl-C ends the JVM; nothing to poll on the command line
    }

    @Override
    public void warn(String message) {
        err.println(lineBreak() + "warning: " + message);
    }

    @Override
    public void log(String message) {
        err.println(lineBreak() + message);
    }

    /** A new line first when the bar is drawn half-way, so the message does not run into it. */
    private String lineBreak() {
        return terminal && lastPercent >= 0 && lastPercent < 100 ? "\n" : "";
    }
}

package org.volseg.core.volume;

import java.math.BigDecimal;
import java.math.MathContext;

/** Numbers as people write them in messages and reports. */
public final class Numbers {

    private Numbers() {
    }

    /** Up to {@code digits} significant digits, no trailing zeros, no exponent: "1", "0.5", "-126.25". */
    public static String compact(double v, int digits) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return new BigDecimal(v).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
    }
}

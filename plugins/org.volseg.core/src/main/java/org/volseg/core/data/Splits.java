package org.volseg.core.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/** Deterministic train/validation splits: the same cases and seed give the same split on every machine. */
public final class Splits {

    /**
     * One split.
     *
     * @param fold       its index (0 for a hold-out split)
     * @param training   cases to train on
     * @param validation cases to validate on
     */
    public record Split(int fold, List<Case> training, List<Case> validation) {
    }

    private Splits() {
    }

    /** k folds: every case is validated on in exactly one fold. */
    public static List<Split> kFold(List<Case> cases, int k, long seed) {
        if (k < 2 || k > cases.size()) {
            throw new IllegalArgumentException("k-fold needs 2 ≤ k ≤ " + cases.size() + " cases, got k = " + k);
        }
        List<Case> order = shuffled(cases, seed);
        List<Split> splits = new ArrayList<>();
        for (int fold = 0; fold < k; fold++) {
            List<Case> training = new ArrayList<>();
            List<Case> validation = new ArrayList<>();
            for (int i = 0; i < order.size(); i++) {
                (i % k == fold ? validation : training).add(order.get(i));
            }
            splits.add(new Split(fold, List.copyOf(training), List.copyOf(validation)));
        }
        return splits;
    }

    /** One split with {@code validationShare} of the cases (at least one when the share is positive). */
    public static Split holdOut(List<Case> cases, double validationShare, long seed) {
        if (validationShare < 0 || validationShare >= 1) {
            throw new IllegalArgumentException("the validation share must be in [0, 1), got " + validationShare);
        }
        List<Case> order = shuffled(cases, seed);
        int validation = validationShare == 0 ? 0 : Math.max(1, (int) Math.round(validationShare * cases.size()));
        if (validation >= cases.size()) {
            throw new IllegalArgumentException(cases.size() + " case(s) leave none to train on with a validation "
                    + "share of " + validationShare);
        }
        return new Split(0, List.copyOf(order.subList(validation, order.size())),
                List.copyOf(order.subList(0, validation)));
    }

    /** Sorted by id first, so the input order (file system order, say) does not matter. */
    private static List<Case> shuffled(List<Case> cases, long seed) {
        List<Case> order = new ArrayList<>(cases);
        order.sort(Comparator.comparing(Case::id));
        Collections.shuffle(order, new Random(seed));
        return order;
    }
}

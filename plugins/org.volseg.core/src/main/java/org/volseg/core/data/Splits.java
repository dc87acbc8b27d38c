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

    /**
     * Which fold of a k-fold cross-validation a learner trains, as a setting reads and writes it: "none" (a
     * hold-out split instead) or "i/k", validating on fold i of k (0 ≤ i < k). The folds are cut with
     * {@link #FOLD_SEED} whatever a learner's own seed, so the k learners of one cross-validation validate on
     * every case exactly once however they are seeded.
     *
     * @param fold  the fold validated on
     * @param folds k, or 0 for none
     */
    public record CrossValidation(int fold, int folds) {

        /** No cross-validation: a hold-out split. */
        public static final CrossValidation NONE = new CrossValidation(0, 0);

        public CrossValidation {
            if (folds != 0 && (folds < 2 || fold < 0 || fold >= folds)) {
                throw new IllegalArgumentException("a cross-validation fold is i/k with k ≥ 2 folds and 0 ≤ i < k, "
                        + "got " + fold + "/" + folds);
            }
        }

        /** "none" or "i/k" ("2/5"). */
        public static CrossValidation parse(String text) {
            String t = text.trim();
            if (t.equalsIgnoreCase("none") || t.isEmpty()) {
                return NONE;
            }
            String[] parts = t.split("/");
            try {
                if (parts.length == 2) {
                    return new CrossValidation(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
                }
            } catch (NumberFormatException e) {
                // said below
            }
            throw new IllegalArgumentException("'" + text + "' is neither none nor a fold i/k such as 0/5");
        }

        public boolean isNone() {
            return folds == 0;
        }

        /** The split of {@code cases} this fold trains on. */
        public Split of(List<Case> cases) {
            return kFold(cases, folds, FOLD_SEED).get(fold);
        }

        @Override
        public String toString() {
            return isNone() ? "none" : fold + "/" + folds;
        }
    }

    /** The seed that cuts cross-validation folds (nnU-Net fixes its own the same way). */
    public static final long FOLD_SEED = 12345;

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

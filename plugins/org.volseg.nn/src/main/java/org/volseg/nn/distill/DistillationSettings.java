package org.volseg.nn.distill;

/**
 * The student's objective beside the supervised Dice + cross-entropy: λ1 · L_vertex + λ2 · L_edge + λ3 · L_adv +
 * λ4 · L_KD (SEED_METHODS.md §3(b).6), how the paraphrasers are trained first and the critic alongside.
 *
 * @param vertexWeight            λ1 of L_vertex, ≥ 0 (the reference's best: 1e-5)
 * @param edgeWeight              λ2 of L_edge, ≥ 0 (the reference's best: 1e-9)
 * @param logitsWeight            λ4 of the logits distillation KL(softmax(T/τ) ‖ softmax(S/τ)), ≥ 0 (0.1, retuned
 *                                for 3D: docs/distillation.md)
 * @param temperature             τ, positive (1)
 * @param temperatureSquared      whether the KL term is multiplied by τ² (Hinton's scaling; off in the reference)
 * @param graph                   the variation graph's choices
 * @param paraphraserSteps        steps training each paraphraser on the frozen teacher's features, ≥ 1
 * @param paraphraserLearningRate their Adam learning rate, positive
 * @param adversarialWeight       λ3 of the student's adversarial term −mean D(student), ≥ 0 (the reference's 0.1
 *                                overwhelmed Dice + CE in 3D; off by default); 0 trains no critic
 * @param criticLearningRate      the critic's Adam learning rate (β2 0.99), positive (the reference's 3e-5)
 * @param criticWidth             the critic's first width, ≥ 1 (the reference's 2D critic has 64)
 * @param softLabels              where the logits term's teacher distribution comes from
 */
public record DistillationSettings(double vertexWeight, double edgeWeight, double logitsWeight, double temperature,
        boolean temperatureSquared, GraphFlow.Settings graph, int paraphraserSteps, double paraphraserLearningRate,
        double adversarialWeight, double criticLearningRate, int criticWidth, SoftLabels softLabels) {

    /** Where the teacher's soft labels for the logits term come from. */
    public enum SoftLabels {
        /** The teacher run on the training patch itself, as the reference does (its 2D slices have no border). */
        PATCH,
        /**
         * The teacher's prediction of the whole case, through half-overlapping Gaussian-blended windows, computed
         * once before the student trains and cut out and moved with each patch: no soft label from a window's
         * border, where a 3D patch network sees least context. Costs one sliding-window pass per case and K float
         * maps of each case's size in memory.
         */
        WHOLE_CASE
    }

    public DistillationSettings {
        nonNegative("vertex weight", vertexWeight);
        nonNegative("edge weight", edgeWeight);
        nonNegative("logits weight", logitsWeight);
        nonNegative("adversarial weight", adversarialWeight);
        if (!(criticLearningRate > 0) || Double.isInfinite(criticLearningRate)) {
            throw new IllegalArgumentException("the critic learning rate is " + criticLearningRate
                    + "; it must be positive");
        }
        if (criticWidth < 1) {
            throw new IllegalArgumentException("the critic width is " + criticWidth + "; at least 1");
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("the temperature is " + temperature + "; it must be positive");
        }
        if (softLabels == null) {
            throw new IllegalArgumentException("where the soft labels come from is required");
        }
        if (graph == null) {
            throw new IllegalArgumentException("the graph settings are required");
        }
        if (paraphraserSteps < 1) {
            throw new IllegalArgumentException("paraphraser steps is " + paraphraserSteps + "; at least 1");
        }
        if (!(paraphraserLearningRate > 0) || Double.isInfinite(paraphraserLearningRate)) {
            throw new IllegalArgumentException("the paraphraser learning rate is " + paraphraserLearningRate
                    + "; it must be positive");
        }
    }

    private static void nonNegative(String what, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("the " + what + " is " + value + "; it must be finite and ≥ 0");
        }
    }

    /**
     * The reference's best setting (λ1 1e-5, λ2 1e-9, τ 1) with λ4 retuned for 3D to 0.1 (the reference's λ4 = 1
     * averages the KL over classes, so it is about our 1/K; measured over three seeds, λ4 = 1 lowered the full
     * objective on phantoms and AAL and collapsed a quarter-labeled student's smallest class: docs/distillation.md)
     * and without the adversarial term (λ3 0): VolSeg's critic is a hinge-loss one (docs/distillation.md); the
     * reference's WGAN-GP critic leaked memory through DJL. 3³ cosine graphs on RMS-normalised taps, 200
     * paraphraser steps; a critic, when asked for, of first width 16 learning at 3e-5.
     */
    public static DistillationSettings defaults() {
        return new DistillationSettings(1e-5, 1e-9, 0.1, 1, false, GraphFlow.Settings.defaults(), 200, 1e-3, 0, 3e-5,
                16, SoftLabels.PATCH);
    }

    /** These settings with the soft labels from {@code source}. */
    public DistillationSettings withSoftLabels(SoftLabels source) {
        return new DistillationSettings(vertexWeight, edgeWeight, logitsWeight, temperature, temperatureSquared, graph,
                paraphraserSteps, paraphraserLearningRate, adversarialWeight, criticLearningRate, criticWidth, source);
    }

    /** Whether the teacher's whole-case predictions are computed before the student trains. */
    public boolean usesWholeCaseSoftLabels() {
        return logitsWeight > 0 && softLabels == SoftLabels.WHOLE_CASE;
    }

    /** Whether a critic trains alongside the student. */
    public boolean usesCritic() {
        return adversarialWeight > 0;
    }

    /** Whether the variation graph is part of the objective at all (otherwise no paraphraser is trained). */
    public boolean usesGraph() {
        return vertexWeight > 0 || edgeWeight > 0;
    }
}

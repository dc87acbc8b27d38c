package org.volseg.nn.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.volseg.core.sampling.PatchSize;

/** Settings are checked when made, each message naming the setting and what it may be. */
class TrainingSettingsTest {

    private static final TrainingSettings D = TrainingSettings.defaults();

    private static void refused(Supplier<TrainingSettings> make, String... fragments) {
        assertThatThrownBy(make::get).isInstanceOf(IllegalArgumentException.class).message()
                .contains(fragments);
    }

    @Test
    void defaultsAreNnUnetsRecipeSizedForACpu() {
        assertThat(D.optimizer()).isEqualTo(Optimizer.Kind.SGD_NESTEROV);
        assertThat(D.learningRate()).isEqualTo(0.01);
        assertThat(D.weightDecay()).isEqualTo(3e-5);
        assertThat(D.schedule()).isEqualTo(LearningRateSchedule.Kind.POLY);
        assertThat(D.foregroundShare()).isEqualTo(1.0 / 3);
        assertThat(D.batchSize()).isEqualTo(1);
        assertThat(D.validationOverlap()).isEqualTo(0.5);
        assertThat(D.earlyStoppingPatience()).isZero();
        assertThat(D.totalSteps()).isEqualTo((long) D.epochs() * D.stepsPerEpoch());
        assertThat(D.learningRateSchedule().at(0)).isEqualTo(0.01);
    }

    @Test
    void withersChangeOneThing() {
        TrainingSettings s = D.withPatch(PatchSize.cube(16)).withEpochs(3).withStepsPerEpoch(4).withBatchSize(2)
                .withOptimizer(Optimizer.Kind.ADAMW, 1e-3, 0.01).withSchedule(LearningRateSchedule.Kind.COSINE, 2)
                .withForegroundShare(0.5).withAugment(false).withValidation(2, 0.25, 3).withCheckpointEvery(1)
                .withSeed(7);
        assertThat(s).isEqualTo(new TrainingSettings(PatchSize.cube(16), 3, 4, 2, Optimizer.Kind.ADAMW, 1e-3, 0.01,
                LearningRateSchedule.Kind.COSINE, 2, 0.5, false, 2, 0.25, 3, 1, 7));
    }

    @Test
    void outOfRangeValuesAreRefusedByName() {
        refused(() -> D.withPatch(null), "patch");
        refused(() -> D.withEpochs(0), "epochs must be at least 1, got 0");
        refused(() -> D.withStepsPerEpoch(-1), "stepsPerEpoch must be at least 1, got -1");
        refused(() -> D.withBatchSize(0), "batchSize must be at least 1");
        refused(() -> D.withOptimizer(null, 0.01, 0), "optimizer is required", "SGD_NESTEROV");
        refused(() -> D.withOptimizer(Optimizer.Kind.ADAM, 0, 0), "learningRate must be positive and finite");
        refused(() -> D.withOptimizer(Optimizer.Kind.ADAM, Double.NaN, 0), "learningRate", "NaN");
        refused(() -> D.withOptimizer(Optimizer.Kind.ADAM, 0.01, -1), "weightDecay must be finite and ≥ 0");
        refused(() -> D.withSchedule(null, 0), "schedule is required", "POLY, COSINE or CONSTANT");
        refused(() -> D.withEpochs(2).withStepsPerEpoch(5).withSchedule(LearningRateSchedule.Kind.POLY, 11),
                "warmupSteps must be in 0..10", "got 11");
        refused(() -> D.withForegroundShare(1.5), "foregroundShare must be in 0..1, got 1.5");
        refused(() -> D.withValidation(0, 0.5, 0), "validateEvery must be at least 1");
        refused(() -> D.withValidation(1, 1.0, 0), "validationOverlap must be in [0, 1), got 1.0");
        refused(() -> D.withValidation(1, 0.5, -1), "earlyStoppingPatience must be at least 0");
        refused(() -> D.withCheckpointEvery(-2), "checkpointEvery must be at least 0, got -2");
    }
}

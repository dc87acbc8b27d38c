package org.volseg.nn.engines;

import java.util.List;

/**
 * How a training run went. The network keeps its final parameters (not the best epoch's): the history and the
 * best epoch tell whether more or fewer epochs would have served better.
 *
 * @param history      one record per epoch trained, resumed epochs included
 * @param bestEpoch    the validated epoch with the highest mean Dice (the earliest on ties); 0 when none was validated
 * @param bestMeanDice its mean Dice; NaN when none was validated
 * @param stoppedEarly whether early stopping ended the run before its last epoch
 */
public record TrainingResult(List<EpochRecord> history, int bestEpoch, double bestMeanDice, boolean stoppedEarly) {

    public TrainingResult {
        history = List.copyOf(history);
    }
}

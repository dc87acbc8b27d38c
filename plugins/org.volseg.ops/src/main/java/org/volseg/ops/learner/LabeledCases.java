package org.volseg.ops.learner;

import java.util.ArrayList;
import java.util.List;
import org.volseg.core.data.Case;
import org.volseg.core.data.Splits;
import org.volseg.core.io.NiftiReader;
import org.volseg.core.transforms.Preprocessing;
import org.volseg.core.transforms.TargetSpacing;
import org.volseg.core.volume.Geometry;
import org.volseg.nn.engines.TrainingCase;
import org.volseg.ops.api.InvalidSettingsException;
import org.volseg.ops.api.Progress;
import org.volseg.ops.api.Table;
import org.volseg.ops.api.VolumeTable;

/**
 * What every learner starts from: the labeled cases of a volume table, split by seed into training and validation,
 * read and preprocessed, all with the same channels.
 *
 * @param split      the split, cases as the table had them
 * @param training   the training cases, preprocessed
 * @param validation the validation cases, preprocessed
 * @param channels   the channels every case has
 */
record LabeledCases(Splits.Split split, List<TrainingCase> training, List<TrainingCase> validation, int channels) {

    /**
     * @param learner the node's name in messages ("learner", "OSS-Net learner")
     * @throws InvalidSettingsException naming the case without labels or with other channels, or when one case
     *                                  leaves none to validate on
     */
    static LabeledCases load(Table table, double validationShare, Splits.CrossValidation crossValidation, long seed,
            Preprocessing preprocessing, String learner, Progress progress) throws Exception {
        List<Case> cases = VolumeTable.cases(table);
        for (Case c : cases) {
            if (!c.labeled()) {
                throw new InvalidSettingsException("case " + c.id() + " has no label map; the " + learner
                        + " trains on labeled cases only (filter the table, or use the Predictor for unlabeled ones)");
            }
        }
        Splits.Split split = split(cases, "", validationShare, crossValidation, seed);
        List<TrainingCase> training = SegmenterLearner.load(split.training(), preprocessing, progress.slice(0, 0.7));
        List<TrainingCase> validation = SegmenterLearner.load(split.validation(), preprocessing,
                progress.slice(0.7, 1));
        int channels = training.get(0).image().channelCount();
        List<TrainingCase> all = new ArrayList<>(training);
        all.addAll(validation);
        for (TrainingCase c : all) {
            if (c.image().channelCount() != channels) {
                throw new InvalidSettingsException("case " + c.id() + " has " + c.image().channelCount()
                        + " channel(s), case " + training.get(0).id() + " " + channels + "; all cases need the "
                        + "same channels");
            }
        }
        return new LabeledCases(split, training, validation, channels);
    }

    /**
     * The spacing (x, y, z, mm) to resample to, empty to keep each image's own; "auto" is planned from the headers
     * of the table's labeled cases and reported.
     */
    static List<Double> spacing(Table table, TargetSpacing target, Progress progress) throws Exception {
        if (!target.auto()) {
            return target.mm();
        }
        List<Geometry> grids = new ArrayList<>();
        for (Case c : VolumeTable.cases(table)) {
            if (c.labeled()) {
                progress.checkCanceled();
                grids.add(NiftiReader.readHeader(c.images().get(0)).header().geometry());
            }
        }
        if (grids.isEmpty()) {
            throw new InvalidSettingsException("Resample to (spacing) is auto, but no case has a label map to plan "
                    + "the spacing from");
        }
        List<Double> planned = TargetSpacing.planned(grids);
        progress.report(0, String.format(java.util.Locale.ROOT, "spacing planned from %d cases: %.3g × %.3g × %.3g "
                + "mm", grids.size(), planned.get(0), planned.get(1), planned.get(2)));
        return planned;
    }

    /**
     * The labeled cases' split: the cross-validation fold asked for, else {@code validationShare} held out by seed.
     *
     * @param kind what the cases are in messages ("" or "labeled ")
     * @throws InvalidSettingsException when too few cases leave some to train or validate on
     */
    static Splits.Split split(List<Case> cases, String kind, double validationShare,
            Splits.CrossValidation crossValidation, long seed) throws InvalidSettingsException {
        if (!crossValidation.isNone()) {
            if (crossValidation.folds() > cases.size()) {
                throw new InvalidSettingsException("Cross-validation fold (cross_validation_fold) is "
                        + crossValidation + ", but " + cases.size() + " " + kind + "case(s) make at most "
                        + cases.size() + " folds");
            }
            return crossValidation.of(cases);
        }
        if (cases.size() < 2 && validationShare > 0) {
            throw new InvalidSettingsException("one " + kind + "case leaves none to validate on; set Validation "
                    + "share (validation_share) to 0 or add " + kind + "cases");
        }
        return Splits.holdOut(cases, validationShare, seed);
    }
}

package org.volseg.ops.learner;

import java.nio.file.Path;
import org.volseg.core.data.Splits;
import org.volseg.nn.distill.DistillationSettings;
import org.volseg.nn.distill.GraphFlow;
import org.volseg.nn.engine.Compute;
import org.volseg.nn.networks.Architecture;
import org.volseg.ops.api.Setting;

/**
 * @param architecture          the student's network
 * @param widths                the student's channels per level, comma-separated
 * @param blocksPerLevel        the student's blocks per level
 * @param patchSize             training patch edge (voxels); 0 takes the teacher's
 * @param epochs                epochs
 * @param stepsPerEpoch         steps (patches) per epoch
 * @param learningRate          Adam's initial learning rate
 * @param validationShare       share of the labeled cases held out for validation
 * @param crossValidation which fold of a k-fold cross-validation to train, or none
 * @param seed                  the seed of everything random
 * @param vertexWeight          λ1 of the graph's vertex term
 * @param edgeWeight            λ2 of the graph's edge term
 * @param adversarialWeight     λ3 of the adversarial term
 * @param criticLearningRate    the critic's learning rate
 * @param criticWidth           the critic's first width
 * @param logitsWeight          λ4 of the logits distillation term
 * @param temperature           τ of the logits distillation
 * @param temperatureSquared    whether that term is multiplied by τ²
 * @param softLabels            where the logits term's teacher distribution comes from
 * @param saliencePatch         k of the k³ salience patches
 * @param salienceLocation      where the deep tap's patches are centred
 * @param edgeSimilarity        what an edge measures
 * @param tapNormalization      how taps are scaled before their graphs
 * @param paraphraserSteps      steps training the paraphrasers
 * @param useUnlabeled          whether cases without labels feed the distillation terms
 * @param modelFile             where the student bundle goes
 * @param device                where the networks run
 */
public record SegmenterDistillerSettings(
        @Setting(key = "architecture", label = "Student architecture", defaultValue = "mobile-unet3d",
                description = "mobile-unet3d: a U-Net of MobileNetV2 inverted residuals (about a sixth of a UNet3d's "
                        + "parameters at equal widths, the best learner; on a CPU its depthwise convolutions make it "
                        + "no faster than its teacher, and its 4x-expanded maps need 1.5x the teacher's memory at "
                        + "inference); strided-unet3d: MONAI's U-Net layout without a full-resolution level, the fast "
                        + "student on a CPU (8,16,32,56: 5-17x faster than a 16,32,64,128 UNet3d, an eighth of its "
                        + "inference memory), weaker on thin structures; unet3d, partially-invres or fully-invres as "
                        + "in the Segmenter Learner.")
        Architecture architecture,
        @Setting(key = "widths", label = "Student widths", defaultValue = "8,16,32,64",
                description = "The student's channels per level, comma-separated. Its feature taps lie at the third "
                        + "level from the top (¼ resolution) with 4 levels or more, as the teacher's must.")
        String widths,
        @Setting(key = "blocks_per_level", label = "Student blocks per level", defaultValue = "1", min = 1, max = 16,
                description = "Blocks at each level of the student's encoder and decoder.")
        int blocksPerLevel,
        @Setting(key = "patch_size", label = "Patch size (voxels)", defaultValue = "0", min = 0, max = 512,
                description = "Edge of the cubic training patches; 0 takes the teacher's training patch. Must suit "
                        + "both networks' levels.")
        int patchSize,
        @Setting(key = "epochs", label = "Epochs", defaultValue = "50", min = 1, max = 100000, tab = "Training",
                description = "Training epochs of the student; validated every fifth of them and at the end.")
        int epochs,
        @Setting(key = "steps_per_epoch", label = "Steps per epoch", defaultValue = "50", min = 1, max = 100000,
                tab = "Training", description = "Patches per epoch (with unlabeled cases, every other one is "
                        + "unlabeled).")
        int stepsPerEpoch,
        @Setting(key = "learning_rate", label = "Learning rate", defaultValue = "0.003", min = 1e-7, max = 10,
                tab = "Training", description = "Adam's initial learning rate (weight decay 2e-4), decayed "
                        + "polynomially to 0, as the reference's first stage.")
        double learningRate,
        @Setting(key = "validation_share", label = "Validation share", defaultValue = "0.2", min = 0, max = 0.9,
                tab = "Training", description = "Share of the labeled cases held out (by seed) and segmented whole "
                        + "by the student to measure its Dice; 0 validates nothing.")
        double validationShare,
        @Setting(key = "cross_validation_fold", label = "Cross-validation fold", defaultValue = "none",
                tab = "Training", description = SegmenterLearnerSettings.CROSS_VALIDATION)
        Splits.CrossValidation crossValidation,
        @Setting(key = "seed", label = "Seed", defaultValue = "42", min = 0, max = 2147483647, tab = "Training",
                description = "Seeds the split, the student's and paraphrasers' weights, patches and augmentation.")
        int seed,
        @Setting(key = "vertex_weight", label = "Vertex weight (λ1)", defaultValue = "1e-5", min = 0, max = 1e6,
                tab = "Distillation", description = "Weight of the graph-flow vertex term: how each channel's "
                        + "salience patch changes from the shallow to the deep tap, teacher vs student. 1e-5 is the "
                        + "reference's, set for raw features; on rms-normalised taps (the default) the term is 2-5 % "
                        + "of the loss, and ten times more changed nothing measurable (bench/README.md, distill).")
        double vertexWeight,
        @Setting(key = "edge_weight", label = "Edge weight (λ2)", defaultValue = "1e-9", min = 0, max = 1e6,
                tab = "Distillation", description = "Weight of the graph-flow edge term: how the channels' "
                        + "similarities change between the taps. 1e-9 is the reference's, set for raw features; on "
                        + "rms-normalised taps it leaves the term next to nothing (try 1e-4 to make it count). Vertex "
                        + "and edge weights 0 skip the paraphrasers.")
        double edgeWeight,
        @Setting(key = "adversarial_weight", label = "Adversarial weight (λ3)", defaultValue = "0", min = 0,
                max = 1e6, tab = "Distillation", description = "Weight of −mean D(student logits): a critic D (3D "
                        + "patch discriminator with spectral norm and self-attention, hinge loss) learns to tell the "
                        + "teacher's logits from the student's, and the student learns to fool it. The reference's "
                        + "critic is a WGAN with gradient penalty, whose second derivative leaked native memory "
                        + "through DJL: the hinge loss replaces it. 0 (the default) trains no critic: the reference's "
                        + "0.1 overwhelmed the segmentation loss in 3D (with the WGAN critic); the hinge critic at "
                        + "1e-3 helped with a quarter of the cases labeled and hurt with all labeled "
                        + "(bench/README.md, distill).")
        double adversarialWeight,
        @Setting(key = "critic_learning_rate", label = "Critic learning rate", defaultValue = "3e-5", min = 1e-9,
                max = 1, tab = "Distillation", description = "The critic's Adam learning rate (β 0.9, 0.99), one "
                        + "critic step per student patch.")
        double criticLearningRate,
        @Setting(key = "critic_width", label = "Critic width", defaultValue = "16", min = 1, max = 256,
                tab = "Distillation", description = "Channels of the critic's first level, doubling per level "
                        + "(the reference's 2D critic has 64).")
        int criticWidth,
        @Setting(key = "logits_weight", label = "Logits weight (λ4)", defaultValue = "0.1", min = 0, max = 1e6,
                tab = "Distillation", description = "Weight of KL(softmax(teacher/τ) ‖ softmax(student/τ)), summed "
                        + "over classes, per voxel. 0.1 (the reference's 1 averages over classes; at 1 the term "
                        + "lowered 3D students in VolSeg's benchmark).")
        double logitsWeight,
        @Setting(key = "temperature", label = "Temperature (τ)", defaultValue = "1", min = 0.01, max = 100,
                tab = "Distillation", description = "Softens both softmaxes of the logits term.")
        double temperature,
        @Setting(key = "temperature_squared", label = "Multiply by τ²", defaultValue = "false", tab = "Distillation",
                description = "Scale the logits term by τ² (Hinton's), keeping its gradients' size as τ grows.")
        boolean temperatureSquared,
        @Setting(key = "soft_labels", label = "Soft labels from", defaultValue = "patch", tab = "Distillation",
                description = "patch: the teacher segments each training patch itself (the reference's way); "
                        + "whole-case: the teacher segments every training case once through half-overlapping "
                        + "blended windows before the student trains, and each patch takes its cut, so no soft label "
                        + "comes from a window's border (one sliding-window pass per case, and one float map per "
                        + "class and case in memory).")
        DistillationSettings.SoftLabels softLabels,
        @Setting(key = "salience_patch", label = "Salience patch (voxels)", defaultValue = "3", min = 1, max = 9,
                tab = "Distillation", description = "Edge k of the k³ patch around each channel's maximum that "
                        + "makes the channel's vertex; odd.")
        int saliencePatch,
        @Setting(key = "salience_location", label = "Salience location", defaultValue = "per-layer",
                tab = "Distillation", description = "per-layer: each tap's patches around its own maxima; shallow: "
                        + "the deep tap's patches where the shallow tap peaks.")
        GraphFlow.Location salienceLocation,
        @Setting(key = "edge_similarity", label = "Edge similarity", defaultValue = "cosine", tab = "Distillation",
                description = "cosine, inner-product or correlation of two channels' patches.")
        GraphFlow.Similarity edgeSimilarity,
        @Setting(key = "tap_normalization", label = "Tap normalisation", defaultValue = "rms", tab = "Distillation",
                description = "rms: each tap divided by its root mean square, so teacher and student graphs "
                        + "compare shapes, not feature scales (VolSeg's choice: better in both seeds of its "
                        + "ablation); none: raw features, as the reference.")
        GraphFlow.Normalization tapNormalization,
        @Setting(key = "paraphraser_steps", label = "Paraphraser steps", defaultValue = "200", min = 1, max = 100000,
                tab = "Distillation", description = "Steps training the two paraphrasers (auto-encoders of the "
                        + "teacher's taps) before the student, Adam at 1e-3.")
        int paraphraserSteps,
        @Setting(key = "use_unlabeled", label = "Learn from unlabeled cases", defaultValue = "true",
                tab = "Distillation", description = "Cases without a label map feed the distillation terms "
                        + "(semi-supervised): half the patches come from them. Off: they are left out.")
        boolean useUnlabeled,
        @Setting(key = "model_file", label = "Model file", defaultValue = "", widget = Setting.Widget.FILE,
                description = "Where the student bundle (.volseg) is written; blank for a new folder in the "
                        + "system's temporary directory. A checkpoint beside it lets a cancelled run resume.")
        Path modelFile,
        @Setting(key = "device", label = "Device", defaultValue = "auto",
                description = SegmenterLearnerSettings.DEVICE)
        Compute device) {
}

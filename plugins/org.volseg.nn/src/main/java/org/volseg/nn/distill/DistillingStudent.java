package org.volseg.nn.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.volseg.nn.engine.GradMode;
import org.volseg.nn.engine.Scalars;
import org.volseg.nn.engines.Adam;
import org.volseg.nn.engines.Optimizer;
import org.volseg.nn.engines.Trainable;
import org.volseg.nn.losses.SegmentationLosses;
import org.volseg.nn.networks.Network;

/**
 * A student as the {@link org.volseg.nn.engines.Trainer} sees it: each step runs the frozen teacher (and its
 * paraphrasers) without a graph, then the student with its loss: Dice + cross-entropy when the patch is labeled,
 * plus the weighted graph-flow, adversarial and logits-distillation terms, which need no labels (semi-supervised
 * steps); then, as in the reference, the critic takes one step on the teacher's (real) and the student's (fake)
 * logits. The trainer's optimizer moves only the student's parameters. With {@linkplain
 * DistillationSettings.SoftLabels#WHOLE_CASE whole-case soft labels} the patch arrives with the teacher's log
 * probabilities as K guidance channels after the image's, and the teacher runs on the patch only for the graph or
 * the critic.
 */
public final class DistillingStudent implements Trainable, AutoCloseable {

    /** Names of the loss terms in the history. */
    public static final String DICE = "dice";
    public static final String CROSS_ENTROPY = "cross_entropy";
    public static final String VERTEX = "vertex";
    public static final String EDGE = "edge";
    public static final String LOGITS = "logits";
    public static final String ADVERSARIAL = "adversarial";
    /** The critic's own hinge loss (not part of the student's). */
    public static final String CRITIC = "critic";

    private final Teacher teacher;
    private final Paraphraser shallowParaphraser;
    private final Paraphraser deepParaphraser;
    private final Network student;
    private final DistillationSettings settings;
    private final Discriminator critic;
    private final Optimizer criticOptimizer;
    private final int guidance;
    private Map<String, Double> lastTerms = Map.of();

    /**
     * @param teacher  the trained teacher
     * @param shallow  the trained paraphraser of its shallow tap, or null when the graph is off
     * @param deep     the trained paraphraser of its deep tap, or null when the graph is off
     * @param student  the student, with feature taps, of the teacher's classes
     * @param critic   the critic, or null when the adversarial term is off; updated after each student pass
     * @param settings the objective; with whole-case soft labels every training patch carries the teacher's log
     *                 probabilities (one channel per class) after its image channels
     */
    public DistillingStudent(Teacher teacher, Paraphraser shallow, Paraphraser deep, Network student,
            Discriminator critic, DistillationSettings settings) {
        if (teacher.hasTaps() && teacher.network().classes() != student.classes()) {
            throw new IllegalArgumentException("the teacher has " + teacher.network().classes() + " classes, the "
                    + "student " + student.classes() + "; a student learns the teacher's classes");
        }
        if (settings.usesGraph() && (shallow == null || deep == null)) {
            throw new IllegalArgumentException("the graph terms need the teacher's paraphrasers");
        }
        this.teacher = teacher;
        this.shallowParaphraser = shallow;
        this.deepParaphraser = deep;
        if (settings.usesCritic() && critic == null) {
            throw new IllegalArgumentException("the adversarial term needs a critic");
        }
        this.student = student;
        this.settings = settings;
        this.critic = settings.usesCritic() ? critic : null;
        this.criticOptimizer = this.critic == null ? null : Adam.withBeta2(this.critic.parameters(), 0.99);
        this.guidance = settings.usesWholeCaseSoftLabels() ? student.classes() : 0;
    }

    /** Frees the critic's optimizer state. */
    @Override
    public void close() {
        if (criticOptimizer != null) {
            criticOptimizer.close();
        }
    }

    public Network student() {
        return student;
    }

    @Override
    public List<NDArray> parameters() {
        return student.parameters();
    }

    @Override
    public int classes() {
        return student.classes();
    }

    @Override
    public NDArray logits(NDArray image) {
        return student.logits(image);
    }

    @Override
    public double step(NDArray image, NDArray oneHot, long stepSeed) {
        return distill(image, oneHot, stepSeed);
    }

    @Override
    public double stepUnlabeled(NDArray image, long stepSeed) {
        return distill(image, null, stepSeed);
    }

    @Override
    public int guidanceChannels() {
        return guidance;
    }

    /**
     * Outside a case the soft labels say background for certain, as the labels there do (and as the teacher says
     * of a patch padded with zeros); all-zero log probabilities would ask the student for 1/K everywhere there.
     */
    @Override
    public float[] guidanceOutside() {
        float[] outside = new float[guidance];
        Arrays.fill(outside, Distiller.LOG_SMALLEST_PROBABILITY);
        if (guidance > 0) {
            outside[0] = 0; // log 1: the background, class 0
        }
        return outside;
    }

    @Override
    public Map<String, Double> lastTerms() {
        return lastTerms;
    }

    private double distill(NDArray patch, NDArray oneHot, long stepSeed) {
        long imageChannels = patch.getShape().get(1) - guidance;
        NDArray image = guidance == 0 ? patch : patch.get(new NDIndex(":, :{}", imageChannels));
        NDArray softLabels = guidance == 0 ? null : patch.get(new NDIndex(":, {}:", imageChannels));
        boolean teacherRuns = settings.usesGraph() || critic != null || softLabels == null;
        Network.Features t = teacherRuns ? teacher.features(image) : null;
        NDArray teacherLogits = softLabels != null ? softLabels : t.logits();
        NDArray factorShallow = settings.usesGraph()
                ? GradMode.with(false, () -> shallowParaphraser.encode(t.shallow())) : null;
        NDArray factorDeep = settings.usesGraph() ? GradMode.with(false, () -> deepParaphraser.encode(t.deep())) : null;
        Map<String, Double> terms = new LinkedHashMap<>();
        NDArray[] studentLogits = new NDArray[1];
        NDManager caller = image.getManager(); // during the step the image is lent to the step's own manager
        double loss = student.step(image, (outputs, taps) -> {
            NDArray logits = outputs.get(outputs.size() - 1);
            NDArray total = null;
            if (oneHot != null) {
                total = record(terms, DICE, SegmentationLosses.diceLoss(logits, oneHot, 1), 1)
                        .add(record(terms, CROSS_ENTROPY, SegmentationLosses.crossEntropy(logits, oneHot), 1));
            }
            if (settings.usesGraph()) {
                GraphFlow.Terms graph = GraphFlow.loss(taps.get(0), taps.get(1), factorShallow, factorDeep,
                        settings.graph());
                total = plus(total, record(terms, VERTEX, graph.vertex(), settings.vertexWeight()));
                total = plus(total, record(terms, EDGE, graph.edge(), settings.edgeWeight()));
            }
            if (critic != null) {
                studentLogits[0] = logits.stopGradient();
                studentLogits[0].attach(caller); // outlives the step, for the critic
                total = plus(total, record(terms, ADVERSARIAL, critic.generatorLoss(logits),
                        settings.adversarialWeight()));
            }
            if (settings.logitsWeight() > 0) {
                NDArray kl = logitsKl(logits, teacherLogits, settings.temperature(), settings.temperatureSquared());
                total = plus(total, record(terms, LOGITS, kl, settings.logitsWeight()));
            }
            if (total == null) {
                throw new IllegalStateException("an unlabeled patch with every distillation weight 0 has no loss");
            }
            return total;
        });
        if (critic != null) {
            critic.zeroGradients(); // the student's pass left its adversarial gradients in the critic
            double criticLoss = critic.criticStep(t.logits(), studentLogits[0]);
            if (Double.isFinite(criticLoss)) {
                terms.put(CRITIC, criticLoss);
                criticOptimizer.step(settings.criticLearningRate());
            } // else: a non-finite critic loss would poison the critic for good; the step is skipped (not recorded)
            critic.zeroGradients();
        }
        lastTerms = Map.copyOf(terms);
        return loss;
    }

    /** Notes a term's unweighted value and returns it weighted. */
    private static NDArray record(Map<String, Double> terms, String name, NDArray term, double weight) {
        terms.put(name, (double) term.getFloat());
        return weight == 1 ? term : Scalars.times(term, weight);
    }

    private static NDArray plus(NDArray sum, NDArray term) {
        return sum == null ? term : sum.add(term);
    }

    /**
     * Logits distillation: KL(softmax(T/τ) ‖ softmax(S/τ)) summed over classes, averaged over voxels (and samples),
     * times τ² when asked; T carries no gradient.
     */
    public static NDArray logitsKl(NDArray student, NDArray teacher, double temperature, boolean squared) {
        NDArray teacherLog = Scalars.times(teacher, 1 / temperature).logSoftmax(1);
        NDArray studentLog = Scalars.times(student, 1 / temperature).logSoftmax(1);
        NDArray kl = teacherLog.exp().mul(teacherLog.sub(studentLog)).sum(new int[] {1}).mean();
        return squared ? Scalars.times(kl, temperature * temperature) : kl;
    }
}

package org.volseg.nn.distill;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.volseg.nn.engine.GradMode;
import org.volseg.nn.engine.Scalars;
import org.volseg.nn.engines.Trainable;
import org.volseg.nn.losses.SegmentationLosses;
import org.volseg.nn.networks.Network;

/**
 * A student as the {@link org.volseg.nn.engines.Trainer} sees it: each step runs the frozen teacher (and its
 * paraphrasers) without a graph, then the student with its loss: Dice + cross-entropy when the patch is labeled,
 * plus the weighted graph-flow and logits-distillation terms, which need no labels (semi-supervised steps). Only
 * the student's parameters train.
 */
public final class DistillingStudent implements Trainable {

    /** Names of the loss terms in the history. */
    public static final String SUPERVISED = "supervised";
    public static final String VERTEX = "vertex";
    public static final String EDGE = "edge";
    public static final String LOGITS = "logits";

    private final Network teacher;
    private final Paraphraser shallowParaphraser;
    private final Paraphraser deepParaphraser;
    private final Network student;
    private final DistillationSettings settings;
    private Map<String, Double> lastTerms = Map.of();

    /**
     * @param teacher  the trained teacher, built {@link Network#withFeatureTaps with feature taps}
     * @param shallow  the trained paraphraser of its shallow tap, or null when the graph is off
     * @param deep     the trained paraphraser of its deep tap, or null when the graph is off
     * @param student  the student, with feature taps, of the teacher's classes
     * @param settings the objective
     */
    public DistillingStudent(Network teacher, Paraphraser shallow, Paraphraser deep, Network student,
            DistillationSettings settings) {
        if (teacher.classes() != student.classes()) {
            throw new IllegalArgumentException("the teacher has " + teacher.classes() + " classes, the student "
                    + student.classes() + "; a student learns the teacher's classes");
        }
        if (settings.usesGraph() && (shallow == null || deep == null)) {
            throw new IllegalArgumentException("the graph terms need the teacher's paraphrasers");
        }
        this.teacher = teacher;
        this.shallowParaphraser = shallow;
        this.deepParaphraser = deep;
        this.student = student;
        this.settings = settings;
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
        return distill(image, oneHot);
    }

    @Override
    public double stepUnlabeled(NDArray image, long stepSeed) {
        return distill(image, null);
    }

    @Override
    public Map<String, Double> lastTerms() {
        return lastTerms;
    }

    private double distill(NDArray image, NDArray oneHot) {
        Network.Features t = teacher.features(image);
        NDArray teacherShallow = null;
        NDArray teacherDeep = null;
        if (settings.usesGraph()) {
            teacherShallow = GradMode.with(false, () -> shallowParaphraser.encode(t.shallow()));
            teacherDeep = GradMode.with(false, () -> deepParaphraser.encode(t.deep()));
        }
        NDArray factorShallow = teacherShallow;
        NDArray factorDeep = teacherDeep;
        Map<String, Double> terms = new LinkedHashMap<>();
        double loss = student.step(image, (outputs, taps) -> {
            NDArray logits = outputs.get(outputs.size() - 1);
            NDArray total = null;
            if (oneHot != null) {
                total = record(terms, SUPERVISED, SegmentationLosses.diceCrossEntropy(logits, oneHot), 1);
            }
            if (settings.usesGraph()) {
                GraphFlow.Terms graph = GraphFlow.loss(taps.get(0), taps.get(1), factorShallow, factorDeep,
                        settings.graph());
                total = plus(total, record(terms, VERTEX, graph.vertex(), settings.vertexWeight()));
                total = plus(total, record(terms, EDGE, graph.edge(), settings.edgeWeight()));
            }
            if (settings.logitsWeight() > 0) {
                NDArray kl = logitsKl(logits, t.logits(), settings.temperature(), settings.temperatureSquared());
                total = plus(total, record(terms, LOGITS, kl, settings.logitsWeight()));
            }
            if (total == null) {
                throw new IllegalStateException("an unlabeled patch with every distillation weight 0 has no loss");
            }
            return total;
        });
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

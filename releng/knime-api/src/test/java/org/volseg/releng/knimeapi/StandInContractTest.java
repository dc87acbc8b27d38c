package org.volseg.releng.knimeapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.knime.core.data.DataCell;
import org.knime.core.data.DataTableSpec;
import org.knime.core.data.def.IntCell;
import org.knime.core.data.def.LongCell;
import org.knime.core.data.def.StringCell;
import org.knime.core.node.BufferedDataTable;
import org.knime.core.node.CanceledExecutionException;
import org.knime.core.node.ExecutionMonitor;
import org.knime.core.node.NodeDialogPane;
import org.knime.core.node.NodeFactory;
import org.knime.core.node.NodeLogger;
import org.knime.core.node.NodeModel;
import org.knime.core.node.defaultnodesettings.SettingsModel;
import org.knime.core.node.port.PortType;

/** Checks that the stand-ins mirror KNIME 5.1 and carry none of the later overloads. */
class StandInContractTest {

    private static List<String> methodNames(Class<?> c) {
        return Arrays.stream(c.getDeclaredMethods()).map(Method::getName).toList();
    }

    @Test
    void laterOverloadsAreAbsent() {
        for (Method m : NodeLogger.class.getDeclaredMethods()) {
            assertThat(m.getParameterTypes()).as(m.toString()).doesNotContain(Supplier.class);
            boolean warnThrowable = m.getName().equals("warn")
                && Arrays.equals(m.getParameterTypes(), new Class<?>[]{Throwable.class});
            assertThat(warnThrowable).as(m.toString()).isFalse();
        }
        assertThat(methodNames(ExecutionMonitor.class)).doesNotContain("createNonCancelableSubProgress");
        assertThat(methodNames(NodeFactory.class)).doesNotContain("getFactoryId");
        assertThat(Arrays.stream(CanceledExecutionException.class.getConstructors())
            .map(c -> Arrays.asList(c.getParameterTypes())))
            .containsExactlyInAnyOrder(List.of(), List.of(String.class));
    }

    @Test
    void constantsCarryTheRealValues() throws ReflectiveOperationException {
        assertThat(SettingsModel.class.getField("CFGKEY_INTERNAL").get(null)).isEqualTo("_Internals");
        assertThat(PortType.class.getField("DEFAULT_COLOR").get(null)).isEqualTo(0xff9b9b9b);
    }

    @Test
    void abstractAndFinalModifiersMatch() {
        for (Class<?> c : List.of(NodeFactory.class, NodeModel.class, NodeDialogPane.class, DataCell.class,
            SettingsModel.class)) {
            assertThat(Modifier.isAbstract(c.getModifiers())).as(c.getName()).isTrue();
        }
        for (Class<?> c : List.of(NodeLogger.class, DataTableSpec.class, BufferedDataTable.class, StringCell.class)) {
            assertThat(Modifier.isFinal(c.getModifiers())).as(c.getName()).isTrue();
        }
        assertThat(Modifier.isFinal(IntCell.class.getModifiers())).isFalse();
        assertThat(Modifier.isFinal(LongCell.class.getModifiers())).isFalse();
    }

    @Test
    void bodiesThrow() {
        assertThatThrownBy(() -> NodeLogger.getLogger(String.class)).isInstanceOf(UnsupportedOperationException.class);
    }
}

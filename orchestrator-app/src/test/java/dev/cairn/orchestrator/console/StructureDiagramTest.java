package dev.cairn.orchestrator.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.orchestrator.execution.OperationView;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StructureDiagramTest {

    @Test
    void stepsFollowEachOtherParallelBranchesStandSideBySideAndChildContextsEncloseTheirSteps() {
        List<OperationView> ops = List.of(
                op("1", null, "STEP", "Step", "first"),
                op("2", null, "CONTEXT", "Parallel", "fork"),
                op("2-1", "2", "CONTEXT", "ParallelBranch", "a"),
                op("2-1-1", "2-1", "STEP", "Step", "a-step"),
                op("2-2", "2", "CONTEXT", "ParallelBranch", "b"),
                op("2-2-1", "2-2", "STEP", "Step", "b-step"),
                op("3", null, "CONTEXT", "RunInChildContext", "group"),
                op("3-1", "3", "STEP", "Step", "inner"));

        StructureDiagram d = StructureDiagram.of(OperationNode.forest(ops));

        assertThat(d.boxes()).extracting(StructureDiagram.Box::operationId)
                .containsExactly("1", "2", "2-1", "2-1-1", "2-2", "2-2-1", "3", "3-1");
        StructureDiagram.Box first = box(d, "1");
        StructureDiagram.Box fork = box(d, "2");
        StructureDiagram.Box a = box(d, "2-1");
        StructureDiagram.Box b = box(d, "2-2");
        StructureDiagram.Box group = box(d, "3");
        StructureDiagram.Box inner = box(d, "3-1");
        assertThat(fork.y()).isGreaterThan(first.y() + first.h());
        assertThat(a.y()).isEqualTo(b.y());
        assertThat(b.x()).isGreaterThan(a.x() + a.w());
        assertThat(fork.container()).isTrue();
        assertThat(inner.x()).isGreaterThan(group.x());
        assertThat(inner.y() + inner.h()).isLessThanOrEqualTo(group.y() + group.h());
        assertThat(d.lines()).filteredOn(StructureDiagram.Line::bar).hasSize(2);
        assertThat(d.width()).isGreaterThanOrEqualTo(a.w() + b.w());
    }

    @Test
    void aWideMapShowsItsFirstIterationsAndSumsUpTheRest() {
        List<OperationView> ops = new ArrayList<>();
        ops.add(op("1", null, "CONTEXT", "Map", "items"));
        for (int i = 1; i <= 20; i++) {
            ops.add(op("1-" + i, "1", "CONTEXT", "MapIteration", "items-" + i));
        }

        StructureDiagram d = StructureDiagram.of(OperationNode.forest(ops));

        assertThat(d.boxes()).hasSize(1 + StructureDiagram.MAX_FAN + 1);
        assertThat(d.boxes().get(d.boxes().size() - 1).label()).isEqualTo("+12 more");
        assertThat(d.dots()).hasSize(2);
    }

    private static StructureDiagram.Box box(StructureDiagram d, String id) {
        return d.boxes().stream().filter(b -> id.equals(b.operationId())).findFirst().orElseThrow();
    }

    private static OperationView op(String id, String parent, String type, String subType, String name) {
        return new OperationView(id, parent, type, subType, name, "SUCCEEDED", "STEP".equals(type) ? 1 : null, null,
                null, null, null, null, null, null, null, null);
    }
}

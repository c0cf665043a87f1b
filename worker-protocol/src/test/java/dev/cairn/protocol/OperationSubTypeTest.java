package dev.cairn.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class OperationSubTypeTest {

    @Test
    void wireNamesAreDistinctAndReadBack() {
        assertThat(Arrays.stream(OperationSubType.values()).map(OperationSubType::wireName)).doesNotHaveDuplicates();
        for (OperationSubType s : OperationSubType.values()) {
            assertThat(OperationSubType.of(s.wireName())).isSameAs(s);
            assertThat(s.is(s.wireName())).isTrue();
            assertThat(s).hasToString(s.wireName());
        }
    }

    @Test
    void anUnknownSubtypeIsNotAnError() {
        assertThat(OperationSubType.find("FromANewerWorker")).isEmpty();
        assertThat(OperationSubType.find(null)).isEmpty();
        assertThat(OperationSubType.STEP.is(null)).isFalse();
        assertThatThrownBy(() -> OperationSubType.of("FromANewerWorker")).isInstanceOf(IllegalArgumentException.class);
        OperationUpdate newer = new OperationUpdate("1", null, OperationType.STEP, "FromANewerWorker", "n",
                OperationAction.START, 1, null, null, null, null);
        assertThat(newer.subType()).isEqualTo("FromANewerWorker");
        assertThat(newer.knownSubType()).isEmpty();
        assertThat(new OperationUpdate("1", null, OperationType.STEP, "AnyOf", "n", OperationAction.START, 1, null,
                null, null, null).knownSubType()).contains(OperationSubType.ANY_OF);
    }

    @Test
    void eachSubtypeBelongsToTheTypeTheWorkerRecordsItAs() {
        assertThat(OperationSubType.ANY_OF.type()).isEqualTo(OperationType.STEP);
        assertThat(OperationSubType.WAIT_FOR_CALLBACK.type()).isEqualTo(OperationType.CONTEXT);
        assertThat(OperationSubType.MAP_ITERATION.type()).isEqualTo(OperationType.CONTEXT);
        assertThat(OperationSubType.CHAINED_INVOKE.type()).isEqualTo(OperationType.CHAINED_INVOKE);
    }
}

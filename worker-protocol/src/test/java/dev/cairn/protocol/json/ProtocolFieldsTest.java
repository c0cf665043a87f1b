package dev.cairn.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.ErrorInfo;
import dev.cairn.protocol.Invocation;
import dev.cairn.protocol.OperationRecord;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The codec's field names are the protocol records' component names: a renamed or added component fails here. */
class ProtocolFieldsTest {

    @Test
    void invocationFieldsAreTheInvocationsComponents() {
        assertThat(constants(InvocationFields.class)).containsExactlyElementsOf(components(Invocation.class));
    }

    @Test
    void operationFieldsAreTheOperationRecordsComponents() {
        assertThat(constants(OperationFields.class)).containsExactlyElementsOf(components(OperationRecord.class));
    }

    @Test
    void errorFieldsAreTheErrorInfosComponents() {
        assertThat(constants(ErrorFields.class)).containsExactlyElementsOf(components(ErrorInfo.class));
    }

    @Test
    void theCodecWritesEveryComponentOfARecordWhoseFieldsAllHoldValues() {
        JsonNode written = JsonMapper.builder().build().readTree(new InvocationCodec().write(Invocations.full()));

        assertThat(written.propertyNames()).containsExactlyInAnyOrderElementsOf(components(Invocation.class));
        JsonNode operation = written.get(InvocationFields.OPERATIONS).get(0);
        assertThat(operation.propertyNames()).containsExactlyInAnyOrderElementsOf(components(OperationRecord.class));
        assertThat(operation.get(OperationFields.ERROR).propertyNames())
                .containsExactlyInAnyOrderElementsOf(components(ErrorInfo.class));
    }

    @Test
    void theCodecReadsEveryComponent() {
        Invocation full = Invocations.full();

        Invocation read = new InvocationCodec().read(JsonMapper.builder().build().writeValueAsBytes(full));

        assertThat(read).isEqualTo(full);
        assertThat(Arrays.stream(Invocation.class.getRecordComponents()).map(c -> value(c, read)))
                .doesNotContainNull();
        OperationRecord operation = read.operations().get(0);
        assertThat(Arrays.stream(OperationRecord.class.getRecordComponents()).map(c -> value(c, operation)))
                .doesNotContainNull();
        assertThat(Arrays.stream(ErrorInfo.class.getRecordComponents()).map(c -> value(c, operation.error())))
                .doesNotContainNull();
    }

    private static List<String> components(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
    }

    private static List<String> constants(Class<?> fields) {
        return Arrays.stream(fields.getDeclaredFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
                .map(ProtocolFieldsTest::value)
                .toList();
    }

    private static String value(Field field) {
        try {
            return (String) field.get(null);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    private static Object value(RecordComponent component, Object record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}

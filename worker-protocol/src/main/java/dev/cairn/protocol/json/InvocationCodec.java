package dev.cairn.protocol.json;

import dev.cairn.protocol.DispatchBatch;
import dev.cairn.protocol.Invocation;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.core.json.JsonFactory;

/**
 * The JSON of an {@link Invocation}, written by the orchestrator and read by workers, with Jackson's token streams
 * rather than data binding: an invocation carries the execution's whole operation log (tens of thousands of
 * records for long executions), and binding each record through the generic record (de)serializers was most of the
 * time between a timer firing and the resumed handler running.
 *
 * <p>The field names are the records' component names ({@link InvocationFields}, {@link OperationFields},
 * {@link ErrorFields}), so the document is the one a mapper binding the records writes and reads, except that the
 * writer leaves null fields out (readers take an absent field as null): the many nulls of a typical operation were
 * a third of its bytes. Timestamps are written as {@link java.time.Instant#toString()} writes them.
 *
 * <p>The reader accepts what a mapper binding the records would: fields in any order, absent or {@code null} fields
 * as null (an absent {@code operations} as none), unknown fields skipped, scalars where text is expected taken as
 * their text, numbers given as strings, timestamps as ISO-8601 text (any offset) or as epoch seconds. Anything else —
 * malformed JSON, an unknown operation type or status, an attempt that is not a whole number, an error without a
 * type, content after the invocation — is a {@link JacksonException}.
 */
public final class InvocationCodec {

    private final TokenStreamFactory json;
    private final ObjectReadContext reading;

    /** A codec on a plain {@link JsonFactory}. */
    public InvocationCodec() {
        this(new JsonFactory());
    }

    /** A codec on {@code json}'s parsers and generators (a mapper's {@code tokenStreamFactory()}, its limits too). */
    public InvocationCodec(TokenStreamFactory json) {
        this.json = json;
        this.reading = new Reading(json);
    }

    /** The invocation as UTF-8 JSON. */
    public byte[] write(Invocation invocation) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512 + invocation.operations().size() * 192);
        try (JsonGenerator g = json.createGenerator(ObjectWriteContext.empty(), out)) {
            write(invocation, g);
        }
        return out.toByteArray();
    }

    /**
     * The batch as UTF-8 JSON: {@code {"invocations":[...]}}, each invocation as {@link #write(Invocation)} writes
     * it.
     */
    public byte[] write(DispatchBatch batch) {
        int operations = 0;
        for (Invocation invocation : batch.invocations()) {
            operations += invocation.operations().size();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + batch.invocations().size() * 512 + operations * 192);
        try (JsonGenerator g = json.createGenerator(ObjectWriteContext.empty(), out)) {
            InvocationWriter.batch(batch, g);
        }
        return out.toByteArray();
    }

    /**
     * The batch read from {@code body} as it arrives; each invocation is read as {@link #read(InputStream)} reads
     * one, except that a {@code null} in the list is an error. Does not close the stream.
     */
    public DispatchBatch readBatch(InputStream body) {
        try (JsonParser p = json.createParser(reading, body)) {
            return InvocationParser.batchDocument(p);
        }
    }

    /** The batch in {@code body}, as {@link #readBatch(InputStream)}. */
    public DispatchBatch readBatch(byte[] body) {
        try (JsonParser p = json.createParser(reading, body)) {
            return InvocationParser.batchDocument(p);
        }
    }

    /** The invocation in {@code body}, or null when the body is the JSON {@code null}. */
    public Invocation read(byte[] body) {
        try (JsonParser p = json.createParser(reading, body)) {
            return read(p);
        }
    }

    /**
     * The invocation read from {@code body} as it arrives (parsing overlaps receiving), or null when the body is the
     * JSON {@code null}. Does not close the stream.
     */
    public Invocation read(InputStream body) {
        try (JsonParser p = json.createParser(reading, body)) {
            return read(p);
        }
    }

    /** Writes {@code invocation} as one JSON object to {@code g}. */
    public static void write(Invocation invocation, JsonGenerator g) {
        InvocationWriter.write(invocation, g);
    }

    /**
     * Reads the whole document of {@code p}: an invocation, or null for the JSON {@code null}. Does not close
     * {@code p}.
     */
    public static Invocation read(JsonParser p) {
        return InvocationParser.document(p);
    }

    /** The factory's parser settings and limits, except that closing a parser leaves its input stream open. */
    private static final class Reading extends ObjectReadContext.Base {

        private final TokenStreamFactory json;

        Reading(TokenStreamFactory json) {
            this.json = json;
        }

        @Override
        public int getStreamReadFeatures(int defaults) {
            return defaults & ~StreamReadFeature.AUTO_CLOSE_SOURCE.getMask();
        }

        @Override
        public TokenStreamFactory tokenStreamFactory() {
            return json;
        }

        @Override
        public StreamReadConstraints streamReadConstraints() {
            return json.streamReadConstraints();
        }
    }
}

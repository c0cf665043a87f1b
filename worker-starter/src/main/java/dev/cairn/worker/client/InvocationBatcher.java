package dev.cairn.worker.client;

import dev.cairn.protocol.InvocationBatchResponse;
import dev.cairn.worker.replay.OrchestratorUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends the checkpoints and completions of concurrent invocations together in {@code POST /v1/invocations/batch}
 * requests, on the callers' own threads (leader/follower; no thread of its own).
 *
 * <p>A caller queues its item and waits for the answer to it. While fewer than {@code maxInFlight} requests are
 * under way, a caller whose item is still queued becomes the leader: it takes its own item and the items queued
 * before and after it (oldest first, up to {@code maxItems} and {@code maxBytes}, at most one per execution), sends
 * them in one request, hands every item's answer to its caller and wakes the caller of the oldest item left
 * queued to lead the next request. So a caller that finds nothing in flight sends at once, alone, and items queued
 * while a request is in flight travel together in the next one.
 *
 * <p>The answer to a whole request applies to each of its items: an I/O failure or a status other than
 * {@code 2xx} is every item's answer, except {@code 404} and {@code 405}, which mean the orchestrator has no batch
 * endpoint: from then on {@link #exchange} answers null for good and the callers send their messages alone.
 *
 * <p>The orchestrator's group commit ({@code dev.cairn.orchestrator.commit}) is this class's twin on the database side
 * and shares no code with it: it commits transactions, retries a failed job alone and tells an unknown outcome, while
 * this class sends HTTP requests whose one answer covers every item; each lives in a module the other does not use.
 */
final class InvocationBatcher {

    /** The kinds of item: the member that holds them in an {@code InvocationBatch.Item}, and their own endpoint. */
    enum Kind {
        CHECKPOINT("checkpoint", "/v1/invocations/checkpoints"),
        COMPLETION("completion", "/v1/invocations/complete");

        private final String label;
        private final String endpoint;
        private final byte[] prefix;

        Kind(String member, String endpoint) {
            this.label = member;
            this.endpoint = endpoint;
            this.prefix = ("{\"" + member + "\":").getBytes(StandardCharsets.UTF_8);
        }

        /** The endpoint that takes one message of this kind alone. */
        String endpoint() {
            return endpoint;
        }
    }

    static final String PATH = "/v1/invocations/batch";

    private static final Logger log = LoggerFactory.getLogger(InvocationBatcher.class);
    private static final byte[] ITEMS_START = "{\"items\":[".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ITEMS_END = "]}".getBytes(StandardCharsets.UTF_8);

    private final BlockingHttp http;
    private final JsonMapper json;
    private final ClientSettings.Batching batching;
    private final String orchestrator;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Item> queue = new ArrayDeque<>();
    private int inFlight;
    private volatile boolean supported = true;

    InvocationBatcher(BlockingHttp http, JsonMapper json, ClientSettings settings) {
        this.http = http;
        this.json = json;
        this.batching = settings.batching();
        this.orchestrator = settings.baseUrl().toString();
    }

    /** Whether the orchestrator may have the batch endpoint: false once it answered {@code 404} or {@code 405}. */
    boolean supported() {
        return supported;
    }

    /** Items waiting for a request. */
    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends one checkpoint or completion with whatever else is ready and waits for the answer to it.
     *
     * @param message the {@code CheckpointRequest} or {@code CompletionRequest} as JSON
     * @return the answer to this item, or null when the orchestrator has no batch endpoint
     * @throws OrchestratorUnavailableException if interrupted while waiting
     */
    Answer exchange(Kind kind, String executionId, byte[] message) {
        Item own = new Item(kind, executionId, message, lock.newCondition());
        lock.lock();
        try {
            if (!supported) {
                return null;
            }
            queue.addLast(own);
            while (!own.answered) {
                if (!own.taken && inFlight < batching.maxInFlight()) {
                    lead(own);
                } else {
                    try {
                        own.done.await();
                    } catch (InterruptedException e) {
                        if (own.answered) {
                            Thread.currentThread().interrupt();
                            break;
                        }
                        abandon(own);
                        Thread.currentThread().interrupt();
                        throw new OrchestratorUnavailableException("Interrupted while waiting "
                                + "to send the " + kind.label + " of execution " + executionId, e);
                    }
                }
            }
            return own.answer;
        } finally {
            lock.unlock();
        }
    }

    /** Sends a request with {@code own} and what else is queued; called and returns with the lock held. */
    private void lead(Item own) {
        List<Item> batch = take(own);
        inFlight++;
        promote();
        lock.unlock();
        List<Answer> answers = null;
        try {
            answers = send(batch);
        } finally {
            lock.lock();
            inFlight--;
            for (int i = 0; i < batch.size(); i++) {
                Item item = batch.get(i);
                item.answer(answers != null ? answers.get(i)
                        : Answer.failed(PATH, new IOException("the batch request did not complete")));
                if (item != own) {
                    item.done.signal();
                }
            }
            if (!supported) {
                for (Item waiting : queue) {
                    waiting.answer(null);
                    waiting.done.signal();
                }
                queue.clear();
            }
            promote();
        }
    }

    /** Takes {@code own} and, oldest first, the queued items that fit with it. */
    private List<Item> take(Item own) {
        queue.remove(own);
        own.taken = true;
        if (queue.isEmpty() || batching.maxItems() == 1) {
            return List.of(own);
        }
        List<Item> batch = new ArrayList<>(Math.min(batching.maxItems(), queue.size() + 1));
        batch.add(own);
        long bytes = own.size();
        Set<String> executions = new HashSet<>();
        executions.add(own.executionId);
        Iterator<Item> waiting = queue.iterator();
        while (waiting.hasNext() && batch.size() < batching.maxItems()) {
            Item item = waiting.next();
            if (bytes + item.size() > batching.maxBytes() || !executions.add(item.executionId)) {
                continue;
            }
            waiting.remove();
            item.taken = true;
            batch.add(item);
            bytes += item.size();
        }
        return batch;
    }

    /** Wakes the caller of the oldest queued item to lead the next request, if one may go now. */
    private void promote() {
        if (inFlight < batching.maxInFlight()) {
            Item next = queue.peekFirst();
            if (next != null) {
                next.done.signal();
            }
        }
    }

    /** Withdraws an item whose caller stopped waiting; one already sent is answered to nobody. */
    private void abandon(Item item) {
        if (!item.taken) {
            queue.remove(item);
            promote();
        }
    }

    /** One request; one answer per item, in order, or null answers when there is no batch endpoint. */
    private List<Answer> send(List<Item> batch) {
        BlockingHttp.Response response;
        try {
            response = http.post(PATH, encode(batch));
        } catch (IOException e) {
            return Collections.nCopies(batch.size(), Answer.failed(PATH, e));
        }
        int status = response.status();
        if (status == 404 || status == 405) {
            lock.lock();
            try {
                if (supported) {
                    supported = false;
                    log.info("The orchestrator at {} answered {} to {}: sending each checkpoint and completion "
                            + "to its own endpoint from now on", orchestrator, status, PATH);
                }
            } finally {
                lock.unlock();
            }
            return Collections.nCopies(batch.size(), null);
        }
        if (status < 200 || status >= 300) {
            return Collections.nCopies(batch.size(), Answer.of(PATH, status, response.text()));
        }
        List<InvocationBatchResponse.Result> results;
        try {
            results = json.readValue(response.body(), InvocationBatchResponse.class).results();
        } catch (JacksonException e) {
            return Collections.nCopies(batch.size(), Answer.failed(PATH,
                    new IOException("unreadable answer to " + PATH + ": " + e.getOriginalMessage(), e)));
        }
        if (results.size() != batch.size()) {
            return Collections.nCopies(batch.size(), Answer.failed(PATH, new IOException("the orchestrator answered "
                    + results.size() + " results to " + batch.size() + " items")));
        }
        List<Answer> answers = new ArrayList<>(results.size());
        for (InvocationBatchResponse.Result result : results) {
            answers.add(result == null
                    ? Answer.failed(PATH, new IOException("the orchestrator answered no result for an item"))
                    : Answer.of(PATH, result.status(), describe(result)));
        }
        return answers;
    }

    private static String describe(InvocationBatchResponse.Result result) {
        if (result.title() == null) {
            return result.detail();
        }
        return result.detail() == null ? result.title() : result.title() + ": " + result.detail();
    }

    /** {@code {"items":[{"checkpoint":…},{"completion":…}]}} from the messages' own JSON. */
    private static byte[] encode(List<Item> batch) {
        int size = ITEMS_START.length + ITEMS_END.length + batch.size() - 1;
        for (Item item : batch) {
            size += item.size();
        }
        byte[] body = new byte[size];
        int at = put(ITEMS_START, body, 0);
        for (int i = 0; i < batch.size(); i++) {
            Item item = batch.get(i);
            if (i > 0) {
                body[at++] = ',';
            }
            at = put(item.kind.prefix, body, at);
            at = put(item.message, body, at);
            body[at++] = '}';
        }
        put(ITEMS_END, body, at);
        return body;
    }

    private static int put(byte[] bytes, byte[] into, int at) {
        System.arraycopy(bytes, 0, into, at, bytes.length);
        return at + bytes.length;
    }

    /** A queued or sent item; its fields are guarded by the lock. */
    private static final class Item {

        final Kind kind;
        final String executionId;
        final byte[] message;
        final Condition done;
        boolean taken;
        boolean answered;
        Answer answer;

        Item(Kind kind, String executionId, byte[] message, Condition done) {
            this.kind = kind;
            this.executionId = executionId;
            this.message = message;
            this.done = done;
        }

        /** The item's size in a request body. */
        int size() {
            return kind.prefix.length + message.length + 1;
        }

        void answer(Answer answer) {
            this.answer = answer;
            this.answered = true;
        }
    }
}

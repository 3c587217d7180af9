package io.github.wsproducer;

import java.util.Map;

/**
 * Counters of a {@link Hub} since it was built, read with {@link Hub#stats()}.
 *
 * @param published values accepted by {@link Hub#publish}
 * @param updates updates sent to subscribers (values a state turned into an update)
 * @param encodings JSON serializations of update and snapshot data; one per update or snapshot,
 *     however many subscribers receive it
 * @param connections connections open now
 * @param plainConnections of those, the connections in the plain form (one topic, data alone); the
 *     rest use the envelope form
 * @param framesSent frames written to connections, each connection counted; protocol-level pings
 *     are not frames of the hub's and not included
 * @param bytesSent the payload bytes of those frames, without WebSocket framing
 * @param dropped frames dropped because a connection was over its byte cap
 * @param resyncs snapshots sent to connections that had fallen behind
 * @param slowConsumerCloses connections closed with 4001 ({@link
 *     io.github.wsproducer.protocol.CloseCode#SLOW_CONSUMER})
 * @param unresponsiveCloses connections closed with 4002 ({@link
 *     io.github.wsproducer.protocol.CloseCode#UNRESPONSIVE}): no pong within the pong timeout
 * @param peakQueuedBytes the most bytes ever queued for one connection, the frame being written
 *     included
 * @param errors failures the hub logged and survived: calls naming a topic it lacks, values a state
 *     refused, snapshots a state could not serialize, and sources that failed to start or to close
 *     (or did not close in time). A source's own failures on its own threads are its to report
 *     ({@link UpdateSink#reportError}).
 * @param rejectedHandshakes WebSocket handshakes the hub refused, by reason: {@code host}, {@code
 *     origin}, {@code capacity} (too many connections, in all or from one address), {@code
 *     unauthenticated}, {@code forbidden} (a topic the client may not read) and {@code not-found}
 *     (no such topic or path), every reason present. Requests a transport refuses before asking the
 *     hub (a malformed upgrade) are not counted.
 */
public record HubStats(
    long published,
    long updates,
    long encodings,
    int connections,
    int plainConnections,
    long framesSent,
    long bytesSent,
    long dropped,
    long resyncs,
    long slowConsumerCloses,
    long unresponsiveCloses,
    long peakQueuedBytes,
    long errors,
    Map<String, Long> rejectedHandshakes) {}

package io.github.wsproducer.spi;

import io.github.wsproducer.Hub;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A hub as a transport sees it: every protocol decision (which handshakes to accept, what a client
 * message means, which close code to send) is made here, so that a transport does I/O only and
 * every transport behaves the same.
 *
 * <p>A transport makes one endpoint per configuration with {@link #of}, then for each upgrade
 * request calls {@link #decide} and, once the upgrade is done, {@link #open}. Thread-safe; no
 * method blocks.
 *
 * <pre>{@code
 * Endpoint endpoint = Endpoint.of(hub, options);
 * // on an upgrade request:
 * Handshake.Decision decision = endpoint.decide(handshake);
 * if (decision instanceof Handshake.Refuse refuse) {
 *   respond(refuse.status(), refuse.message());
 * } else if (decision instanceof Handshake.Accept accept) {
 *   upgrade(accept.subprotocol(), socket -> endpoint.open(accept, socket));
 * }
 * }</pre>
 */
public interface Endpoint {

  /**
   * The endpoint of a hub built by {@link Hub#builder()}, with a transport's options.
   *
   * @throws IllegalArgumentException if the hub is another implementation
   */
  static Endpoint of(Hub hub, TransportOptions options) {
    Objects.requireNonNull(options, "options");
    return HubSpi.of(hub).endpoint(options);
  }

  /** The options this endpoint was made with. */
  TransportOptions options();

  /**
   * Decides a handshake: host, origin, connection limits, the client's identity and the topics it
   * may read (when the hub has an authenticator or an authorizer), path and form. A refusal is
   * logged here, never with the query or the headers (once per cause, then at most once a minute).
   */
  Handshake.Decision decide(Handshake handshake);

  /**
   * Registers an upgraded connection: an envelope connection is sent {@code hello}, a plain one is
   * subscribed to its topic. The hub writes to {@code outbound}; the transport reports the client's
   * messages to the returned {@link Inbound}.
   *
   * <p>If the hub is closed meanwhile, the connection is closed with 1012 and the returned inbound
   * ignores what follows.
   */
  Inbound open(Handshake.Accept accepted, Outbound outbound);

  /**
   * Whether {@link #admit} answers HTTP requests to {@code path} (a request's path, without its
   * query): the push API and the screen fleet, when the hub has them. None by default.
   */
  default boolean serves(String path) {
    return false;
  }

  /**
   * Decides an HTTP request to a path it {@link #serves} from its head alone, before any byte of
   * its body is read: host and origin checks, the size its {@code Content-Length} announces,
   * authentication from the headers, the route's own checks (method, rate), and room in the budgets
   * of request bodies in all and per client address (503 with {@code Retry-After} when there is
   * none). {@code head} carries an empty body. Does not block.
   */
  default HttpAdmission admit(HttpRequest head) {
    return new HttpAdmission.Answer(HttpResponse.json(404, "{\"error\":\"not found\"}"));
  }

  /**
   * {@link #admit}s a request whose body is already read, and serves it: for tests and for
   * transports that cannot answer before a body arrives.
   */
  default CompletionStage<HttpResponse> serve(HttpRequest request) {
    HttpAdmission admission = admit(request);
    if (admission instanceof HttpAdmission.Answer answer) {
      return CompletableFuture.completedFuture(answer.response());
    }
    try (HttpAdmission.ReadBody read = (HttpAdmission.ReadBody) admission) {
      return request.body().length > read.limit()
          ? CompletableFuture.completedFuture(HttpResponse.tooLarge(read.limit()))
          : read.serve(request.body());
    }
  }
}

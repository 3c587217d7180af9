package io.github.wsproducer.spi;

import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * An {@link Endpoint}'s decision on an HTTP request from its head alone ({@link Endpoint#admit}),
 * before a transport reads any byte of its body: an unauthenticated or unwelcome request costs no
 * more than its headers.
 */
public sealed interface HttpAdmission {

  /**
   * Answer at once and do not read the body: when the request has one, close the connection after
   * the answer, so that its bytes are never read.
   *
   * @param response the answer
   */
  record Answer(HttpResponse response) implements HttpAdmission {
    /** Checks that there is an answer. */
    public Answer {
      Objects.requireNonNull(response, "response");
    }
  }

  /**
   * Read the body, at most {@link #limit()} bytes and within the handshake timeout ({@link
   * TransportOptions#handshakeTimeout()}) of this admission, then {@link #serve} it. A body over
   * the limit gets {@link HttpResponse#tooLarge}; one that does not arrive in time, or a connection
   * that fails, drops the connection: then {@link #close()}. The bytes it may take are counted
   * against the hub's budgets for request bodies in all and per client address until it is served
   * or closed, so a transport must do one or the other.
   */
  non-sealed interface ReadBody extends HttpAdmission, AutoCloseable {
    /** The most bytes the body may have. */
    long limit();

    /**
     * Answers the request with its body, at once or when the route's answer is ready (never
     * failing), and gives back what it took of the budgets.
     */
    CompletionStage<HttpResponse> serve(byte[] body);

    /** Gives back what it took of the budgets without an answer. Idempotent. */
    @Override
    void close();
  }
}

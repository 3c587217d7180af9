package io.github.wsproducer.jetty;

import io.github.wsproducer.spi.Endpoint;
import io.github.wsproducer.spi.HttpAdmission;
import io.github.wsproducer.spi.HttpRequest;
import io.github.wsproducer.spi.HttpResponse;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The HTTP requests a hub's {@link Endpoint} answers itself ({@link Endpoint#serves}: the push API,
 * the screen fleet). The endpoint decides from the head alone; a refused request's body is never
 * read (the connection closes after the answer), an admitted one is read without blocking a thread,
 * up to its limit and within the handshake timeout, or gets 408 and the connection closed.
 */
final class EndpointRequests {
  private static final byte[] NO_BODY = {};
  private static final HttpResponse TIMED_OUT =
      HttpResponse.json(408, "{\"error\":\"the body did not arrive in time\"}");

  private EndpointRequests() {}

  static void serve(Endpoint endpoint, Request request, Response response, Callback callback) {
    HttpAdmission admission = endpoint.admit(of(request, NO_BODY));
    if (admission instanceof HttpAdmission.Answer answer) {
      if (hasBody(request)) { // unread: it must not be taken for the next request
        response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
      }
      write(answer.response(), response, callback);
      return;
    }
    HttpAdmission.ReadBody read = (HttpAdmission.ReadBody) admission;
    AtomicBoolean done = new AtomicBoolean();
    Scheduler.Task deadline =
        request
            .getComponents()
            .getScheduler()
            .schedule(
                () -> {
                  if (done.compareAndSet(false, true)) { // 408, and the connection closed
                    read.close();
                    response
                        .getHeaders()
                        .put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
                    write(TIMED_OUT, response, callback);
                  }
                },
                endpoint.options().handshakeTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
    Content.Source.asByteArrayAsync(
        request,
        (int) Math.min(read.limit(), Integer.MAX_VALUE - 8),
        Promise.Invocable.from(
            Invocable.InvocationType.NON_BLOCKING, // serve does not block
            (byte[] body, Throwable failure) -> {
              if (!done.compareAndSet(false, true)) {
                return; // the deadline came first
              }
              deadline.cancel();
              if (failure == null) {
                read.serve(body).thenAccept(answer -> write(answer, response, callback));
              } else if (failure instanceof IllegalStateException) { // over the limit
                read.close();
                response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
                write(HttpResponse.tooLarge(read.limit()), response, callback);
              } else {
                read.close();
                callback.failed(failure);
              }
            }));
  }

  private static boolean hasBody(Request request) {
    return request.getLength() != 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
  }

  private static HttpRequest of(Request request, byte[] body) {
    return new HttpRequest(
        request.getMethod(),
        Request.getPathInContext(request),
        request.getHttpURI().getQuery(),
        request.isSecure(),
        Request.getServerName(request),
        Request.getServerPort(request),
        Request.getRemoteAddr(request),
        Request.getRemoteAddr(request) + ":" + Request.getRemotePort(request),
        HubWebSocket.headers(request),
        body);
  }

  /** Writes an answer of the hub's, with the security headers and {@code no-store}. */
  static void write(HttpResponse answer, Response response, Callback callback) {
    response.setStatus(answer.status());
    SecurityHeaders.addTo(response);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    answer.headers().forEach(response.getHeaders()::put);
    response.write(true, ByteBuffer.wrap(answer.body()), callback);
  }
}

package io.github.wsproducer.jetty;

import io.github.wsproducer.spi.Endpoint;
import io.github.wsproducer.spi.HttpRequest;
import io.github.wsproducer.spi.HttpResponse;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * The HTTP requests a hub's {@link Endpoint} answers itself ({@link Endpoint#serves}: the push API,
 * the screen fleet): the body is read without blocking a thread, up to the message size.
 */
final class EndpointRequests {
  private EndpointRequests() {}

  static void serve(Endpoint endpoint, Request request, Response response, Callback callback) {
    long limit = endpoint.options().maxMessageSize();
    if (request.getLength() > limit) {
      write(HttpResponse.tooLarge(limit), response, callback);
      return;
    }
    Content.Source.asByteArrayAsync(
        request,
        (int) Math.min(limit, Integer.MAX_VALUE - 8),
        Promise.Invocable.from(
            Invocable.InvocationType.NON_BLOCKING, // serve does not block
            (byte[] body, Throwable failure) -> {
              if (failure == null) {
                write(endpoint.serve(of(request, body)), response, callback);
              } else if (failure instanceof IllegalStateException) { // over the limit
                write(HttpResponse.tooLarge(limit), response, callback);
              } else {
                callback.failed(failure);
              }
            }));
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

  private static void write(HttpResponse answer, Response response, Callback callback) {
    response.setStatus(answer.status());
    SecurityHeaders.addTo(response);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    answer.headers().forEach(response.getHeaders()::put);
    response.write(true, ByteBuffer.wrap(answer.body()), callback);
  }
}

package io.github.wsproducer.netty;

import io.github.wsproducer.spi.HttpResponse;
import io.github.wsproducer.spi.WebResources;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** The transport's HTTP answers: the hub's, in Netty's form, and a few words of its own. */
final class Responses {
  private static final HttpHeaders SECURITY = new DefaultHttpHeaders();

  static {
    WebResources.SECURITY_HEADERS.forEach(SECURITY::set);
  }

  private Responses() {}

  /** An answer of the hub's, {@code no-store} unless it says otherwise. */
  static FullHttpResponse of(HttpResponse answer) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(answer.status()),
            Unpooled.wrappedBuffer(answer.body()));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    answer.headers().forEach(response.headers()::set);
    return response;
  }

  /** A few words of plain text, not an error page that would name the server. */
  static FullHttpResponse text(HttpResponseStatus status, String message) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            status,
            Unpooled.copiedBuffer(message + "\n", StandardCharsets.UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    return response;
  }

  /** Adds the security headers. */
  static void secure(FullHttpResponse response) {
    response.headers().add(SECURITY);
  }
}

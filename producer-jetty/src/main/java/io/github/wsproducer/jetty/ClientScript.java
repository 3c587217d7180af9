package io.github.wsproducer.jetty;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The browser client {@code wsproducer.js}, read once and served with an ETag. */
final class ClientScript {
  private static final byte[] BYTES = read();
  private static final String ETAG = '"' + sha256(BYTES).substring(0, 16) + '"';

  private ClientScript() {}

  static void serve(Request request, Response response, Callback callback) {
    SecurityHeaders.addTo(response);
    response.getHeaders().put(HttpHeader.ETAG, ETAG);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    if (ETAG.equals(request.getHeaders().get(HttpHeader.IF_NONE_MATCH))) {
      response.setStatus(HttpStatus.NOT_MODIFIED_304);
      callback.succeeded();
      return;
    }
    response.setStatus(HttpStatus.OK_200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/javascript; charset=utf-8");
    response.write(true, ByteBuffer.wrap(BYTES), callback);
  }

  private static byte[] read() {
    try (InputStream in = ClientScript.class.getResourceAsStream("wsproducer.js")) {
      if (in == null) {
        throw new IllegalStateException("wsproducer.js is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

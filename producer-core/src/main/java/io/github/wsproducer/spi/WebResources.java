package io.github.wsproducer.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every transport serves over HTTP besides its sockets, the same way: the browser client
 * {@code wsproducer.js} at {@link io.github.wsproducer.protocol.Protocol#CLIENT_SCRIPT_PATH}, and
 * the headers that go on every response a transport writes itself.
 */
public final class WebResources {
  /**
   * The policy for wall-screen pages: scripts, styles and connections from the page's own origin
   * only ({@code 'self'} covers same-origin WebSockets), no inline script, no framing.
   */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none';"
          + " form-action 'none'";

  /**
   * The headers of every response: {@link #CONTENT_SECURITY_POLICY}, {@code X-Content-Type-Options:
   * nosniff}, {@code X-Frame-Options: DENY}, {@code Referrer-Policy: no-referrer}. No server name
   * or version.
   */
  public static final Map<String, String> SECURITY_HEADERS = securityHeaders();

  /** The client script's media type. */
  public static final String CLIENT_SCRIPT_TYPE = "text/javascript; charset=utf-8";

  private static final byte[] CLIENT_SCRIPT = read("wsproducer.js");
  private static final String CLIENT_SCRIPT_ETAG = etag(CLIENT_SCRIPT);

  private WebResources() {}

  /** The browser client's bytes, read-only. */
  public static ByteBuffer clientScript() {
    return ByteBuffer.wrap(CLIENT_SCRIPT).asReadOnlyBuffer();
  }

  /** The client script's strong ETag; serve it with {@code Cache-Control: no-cache}. */
  public static String clientScriptEtag() {
    return CLIENT_SCRIPT_ETAG;
  }

  private static Map<String, String> securityHeaders() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("X-Frame-Options", "DENY");
    headers.put("Referrer-Policy", "no-referrer");
    return java.util.Collections.unmodifiableMap(headers);
  }

  private static byte[] read(String name) {
    try (InputStream in = WebResources.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A strong ETag of {@code bytes} (64 bits of their SHA-256), for the client script and any file a
   * transport serves.
   */
  public static String etag(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return '"' + HexFormat.of().formatHex(digest, 0, 8) + '"';
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

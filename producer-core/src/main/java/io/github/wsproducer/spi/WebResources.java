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
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * What every transport serves over HTTP besides its sockets, the same way: the browser client
 * {@code wsproducer.js} at {@link io.github.wsproducer.protocol.Protocol#CLIENT_SCRIPT_PATH}, the
 * wall-screen kit when {@code producer-screens} is on the class path ({@link #find}), and the
 * headers that go on every response a transport writes itself.
 */
public final class WebResources {
  /** One file the library serves: read-only bytes, media type, strong ETag. */
  public record Resource(ByteBuffer bytes, String contentType, String etag) {
    /** A fresh read-only view of the bytes, for one response. */
    @Override
    public ByteBuffer bytes() {
      return bytes.asReadOnlyBuffer();
    }
  }

  /**
   * The policy for wall-screen pages: scripts, styles and connections from the page's own origin
   * only ({@code 'self'} covers same-origin WebSockets), no inline script, no framing.
   */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'self';"
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

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", CLIENT_SCRIPT_TYPE,
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "json", "application/json",
          "map", "application/json");

  // Screen kit: a listing at /screens, a screen or playlist at /screens/{name}, assets below
  // /wsproducer/; uPlot from its WebJar. All from META-INF/resources, the WebJar convention.
  private static final Pattern SCREEN = Pattern.compile("/screens/[A-Za-z0-9_-]{1,64}");
  private static final Pattern ASSET =
      Pattern.compile("/(wsproducer|webjars/uplot)(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)+\\.[a-z]+");
  private static final Map<String, Optional<Resource>> FOUND = new ConcurrentHashMap<>();

  private WebResources() {}

  /** The browser client's bytes, read-only. */
  public static ByteBuffer clientScript() {
    return ByteBuffer.wrap(CLIENT_SCRIPT).asReadOnlyBuffer();
  }

  /** The client script's strong ETag; serve it with {@code Cache-Control: no-cache}. */
  public static String clientScriptEtag() {
    return CLIENT_SCRIPT_ETAG;
  }

  /**
   * What the library serves at {@code path} (a request's path, without its query), or {@code null}:
   * the client script; and, found on the class path under {@code META-INF/resources}, the screen
   * kit's listing at {@code /screens}, a screen's page at {@code /screens/{name}}, the kit's files
   * below {@code /wsproducer/} and uPlot's below {@code /webjars/uplot/}. Never a directory, never
   * a path with {@code ..}.
   */
  public static Resource find(String path) {
    if (path.equals(io.github.wsproducer.protocol.Protocol.CLIENT_SCRIPT_PATH)) {
      return new Resource(clientScript(), CLIENT_SCRIPT_TYPE, CLIENT_SCRIPT_ETAG);
    }
    String resource;
    if (path.equals("/screens") || path.equals("/screens/")) {
      resource = "wsproducer/screens/index.html";
    } else if (SCREEN.matcher(path).matches()) {
      resource = "wsproducer/screens/screen.html";
    } else if (ASSET.matcher(path).matches() && !path.contains("..")) {
      resource = path.substring(1);
    } else {
      return null;
    }
    return FOUND.computeIfAbsent(resource, WebResources::load).orElse(null);
  }

  private static Optional<Resource> load(String resource) {
    String type = TYPES.get(resource.substring(resource.lastIndexOf('.') + 1));
    ClassLoader loader = WebResources.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream("META-INF/resources/" + resource)) {
      if (type == null || in == null) {
        return Optional.empty();
      }
      byte[] bytes = in.readAllBytes();
      return Optional.of(new Resource(ByteBuffer.wrap(bytes), type, etag(bytes)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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

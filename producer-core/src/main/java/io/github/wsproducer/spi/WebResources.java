package io.github.wsproducer.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every transport serves over HTTP besides its sockets, the same way: the browser client
 * {@code wsproducer.js} at {@link io.github.wsproducer.protocol.Protocol#CLIENT_SCRIPT_PATH}, the
 * files of the modules on the class path ({@link Provider}: the screen kit's pages), and the
 * headers that go on every response a transport writes itself.
 */
public final class WebResources {
  /**
   * Files a module serves on every transport, such as the screen kit's pages: found with {@link
   * ServiceLoader} ({@code provides io.github.wsproducer.spi.WebResources.Provider with ...} in the
   * module's {@code module-info.java}, and a {@code META-INF/services} file for the class path).
   * Thread-safe; {@link #find} is called for every request that no other handler took.
   */
  public interface Provider {
    /**
     * The file at {@code path} (a request's path, without its query), or {@code null}; never a
     * directory, never a path with {@code ..}. {@link WebResources#load} reads one from the class
     * path.
     */
    Resource find(String path);
  }

  /** One file the library serves: read-only bytes, media type, strong ETag. */
  public record Resource(ByteBuffer bytes, String contentType, String etag) {
    /** A fresh read-only view of the bytes, for one response. */
    @Override
    public ByteBuffer bytes() {
      return bytes.asReadOnlyBuffer();
    }

    /**
     * The answer to a {@code GET} or {@code HEAD} of this file, for any transport to write: 304
     * when {@code ifNoneMatch} (the request's {@code If-None-Match}, or {@code null}) names this
     * version, else 200 with the bytes; with the ETag and {@code Cache-Control: no-cache} either
     * way, so that a page revalidates its files on every load and fetches only what changed.
     */
    public HttpResponse answer(String ifNoneMatch) {
      boolean fresh = etag.equals(ifNoneMatch);
      return new HttpResponse(
          fresh ? 304 : 200,
          contentType,
          fresh ? new byte[0] : array(),
          Map.of("ETag", etag, "Cache-Control", "no-cache"));
    }

    private byte[] array() {
      if (bytes.hasArray()
          && bytes.arrayOffset() == 0
          && bytes.position() == 0
          && bytes.remaining() == bytes.array().length) {
        return bytes.array(); // not copied: HttpResponse bodies are only read
      }
      byte[] copy = new byte[bytes.remaining()];
      bytes.duplicate().get(copy);
      return copy;
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

  private static final byte[] CLIENT_SCRIPT = read("META-INF/resources/wsproducer/wsproducer.js");
  private static final String CLIENT_SCRIPT_ETAG = etag(CLIENT_SCRIPT);

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", CLIENT_SCRIPT_TYPE,
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "json", "application/json",
          "map", "application/json");

  private static final Map<String, Optional<Resource>> LOADED = new ConcurrentHashMap<>();

  /** The modules' providers, loaded when a request first needs them. */
  private static final class Providers {
    static final List<Provider> ALL =
        ServiceLoader.load(Provider.class, WebResources.class.getClassLoader()).stream()
            .map(ServiceLoader.Provider::get)
            .toList();
  }

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
   * the client script, or a module's file ({@link Provider}).
   */
  public static Resource find(String path) {
    if (path.equals(io.github.wsproducer.protocol.Protocol.CLIENT_SCRIPT_PATH)) {
      return new Resource(clientScript(), CLIENT_SCRIPT_TYPE, CLIENT_SCRIPT_ETAG);
    }
    for (Provider provider : Providers.ALL) {
      Resource found = provider.find(path);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /**
   * The file {@code META-INF/resources/{name}} as {@code loader} finds it (the WebJar convention),
   * with the media type of its extension (html, js, css, svg, json, map), read once; or {@code
   * null} when there is none or its type is another.
   */
  public static Resource load(ClassLoader loader, String name) {
    return LOADED.computeIfAbsent(name, n -> read(loader, n)).orElse(null);
  }

  private static Optional<Resource> read(ClassLoader loader, String name) {
    String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
    try (InputStream in = loader.getResourceAsStream("META-INF/resources/" + name)) {
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
    try (InputStream in = WebResources.class.getClassLoader().getResourceAsStream(name)) {
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

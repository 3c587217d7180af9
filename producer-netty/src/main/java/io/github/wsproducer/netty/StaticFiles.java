package io.github.wsproducer.netty;

import io.github.wsproducer.spi.WebResources;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A page's files, from a directory or the class path, served with an ETag ({@link
 * WebResources.Resource#answer}). Paths with {@code ..}, hidden names or backslashes are not found;
 * a path ending in {@code /} serves {@code index.html}; a directory is never listed. Files are
 * small (a page, its scripts, styles and images), so each is read whole.
 */
abstract class StaticFiles {
  private static final long MAX_FILE = 16 << 20;

  private static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("mjs", "text/javascript; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("json", "application/json"),
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("gif", "image/gif"),
          Map.entry("webp", "image/webp"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("woff2", "font/woff2"),
          Map.entry("woff", "font/woff"));

  static StaticFiles directory(Path root) {
    Path base;
    try {
      base = root.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new StaticFiles() {
      @Override
      byte[] read(String relative) throws IOException {
        Path file = base.resolve(relative).normalize();
        // A link may point outside the directory: compare where it really leads.
        if (!Files.isRegularFile(file) || !file.toRealPath().startsWith(base)) {
          return null;
        }
        return Files.size(file) > MAX_FILE ? null : Files.readAllBytes(file);
      }
    };
  }

  static StaticFiles classpath(ClassLoader loader, String root) {
    Objects.requireNonNull(loader, "loader");
    String prefix = root.replaceAll("^/+|/+$", "");
    return new StaticFiles() {
      @Override
      byte[] read(String relative) throws IOException {
        URL url = loader.getResource(prefix.isEmpty() ? relative : prefix + "/" + relative);
        if (url == null || isDirectory(url)) {
          return null;
        }
        try (InputStream in = url.openStream()) {
          byte[] bytes = in.readNBytes((int) MAX_FILE + 1);
          return bytes.length > MAX_FILE ? null : bytes;
        }
      }
    };
  }

  private static boolean isDirectory(URL url) throws IOException {
    if (url.getProtocol().equals("file")) {
      try {
        return Files.isDirectory(Path.of(url.toURI()));
      } catch (java.net.URISyntaxException e) {
        return true;
      }
    }
    URLConnection c = url.openConnection();
    return c instanceof JarURLConnection jar && jar.getJarEntry().isDirectory();
  }

  /** The bytes of a file at a checked relative path, or {@code null} if there is none. */
  abstract byte[] read(String relative) throws IOException;

  /** The file at {@code path}, or {@code null} when there is none. */
  WebResources.Resource find(String path) {
    String relative = path.endsWith("/") ? path.substring(1) + "index.html" : path.substring(1);
    if (!safe(relative)) {
      return null;
    }
    byte[] bytes;
    try {
      bytes = read(relative);
    } catch (IOException e) {
      return null;
    }
    if (bytes == null) {
      return null;
    }
    return new WebResources.Resource(
        ByteBuffer.wrap(bytes), type(relative), WebResources.etag(bytes));
  }

  /** Only names below the root: no {@code ..}, no hidden names, no backslashes or NULs. */
  private static boolean safe(String relative) {
    if (relative.isEmpty() || relative.indexOf('\\') >= 0 || relative.indexOf('\0') >= 0) {
      return false;
    }
    for (String segment : relative.split("/", -1)) {
      if (segment.isEmpty() || segment.startsWith(".")) {
        return false;
      }
    }
    return true;
  }

  private static String type(String name) {
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    return TYPES.getOrDefault(ext, "application/octet-stream");
  }
}

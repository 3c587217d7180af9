package io.github.wsproducer.screens;

import io.github.wsproducer.spi.WebResources;
import java.util.regex.Pattern;

/**
 * The kit's files, which every transport serves: a listing at {@code /screens}, a screen or
 * playlist at {@code /screens/{name}}, the kit's assets below {@code /wsproducer/} and uPlot's
 * below {@code /webjars/uplot/}, all from {@code META-INF/resources} (the WebJar convention). Found
 * by the transports through {@link WebResources.Provider}; public for {@link
 * java.util.ServiceLoader} only.
 */
public final class KitFiles implements WebResources.Provider {
  private static final Pattern SCREEN = Pattern.compile("/screens/[A-Za-z0-9_-]{1,64}");
  private static final Pattern ASSET =
      Pattern.compile("/(wsproducer|webjars/uplot)(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)+\\.[a-z]+");

  /** For {@link java.util.ServiceLoader}. */
  public KitFiles() {}

  @Override
  public WebResources.Resource find(String path) {
    String name;
    if (path.equals("/screens") || path.equals("/screens/")) {
      name = "wsproducer/screens/index.html";
    } else if (SCREEN.matcher(path).matches()) {
      name = "wsproducer/screens/screen.html";
    } else if (ASSET.matcher(path).matches() && !path.contains("..")) {
      name = path.substring(1);
    } else {
      return null;
    }
    return WebResources.load(KitFiles.class.getClassLoader(), name);
  }
}

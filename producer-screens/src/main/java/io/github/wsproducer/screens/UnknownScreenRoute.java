package io.github.wsproducer.screens;

import io.github.wsproducer.spi.HttpContext;
import io.github.wsproducer.spi.HttpRequest;
import io.github.wsproducer.spi.HttpResponse;
import io.github.wsproducer.spi.HttpRoute;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code /screens/{name}} for a name that is no screen or playlist: 404, with the list of those
 * there are, rather than a page that cannot show anything.
 */
final class UnknownScreenRoute implements HttpRoute {
  private static final Pattern SCREEN = Pattern.compile("/screens/([A-Za-z0-9_-]{1,64})");

  private final Supplier<ScreenFile> screens;

  UnknownScreenRoute(Supplier<ScreenFile> screens) {
    this.screens = screens;
  }

  private List<String> names() {
    List<String> names = new ArrayList<>();
    screens.get().screens().forEach(s -> names.add(s.name()));
    screens.get().playlists().forEach(p -> names.add(p.name()));
    return names;
  }

  @Override
  public boolean serves(String path) {
    var screen = SCREEN.matcher(path);
    return screen.matches() && !names().contains(screen.group(1));
  }

  @Override
  public HttpResponse check(HttpRequest head, HttpContext http) {
    return head.method().equals("GET") || head.method().equals("HEAD")
        ? null
        : http.onlyMethod("GET");
  }

  @Override
  public HttpResponse serve(HttpRequest request, HttpContext http) {
    String name = request.path().substring("/screens/".length());
    StringBuilder page =
        new StringBuilder(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><base href=\"../\">"
                + "<title>No screen named "
                + name
                + "</title></head><body><h1>No screen named “"
                + name
                + "”</h1><p>Screens:</p><ul>");
    for (String screen : names()) { // names are letters, digits, - and _: nothing to escape
      page.append("<li><a href=\"screens/").append(screen).append("\">").append(screen);
      page.append("</a></li>");
    }
    page.append("</ul></body></html>");
    return new HttpResponse(
        404,
        "text/html; charset=utf-8",
        page.toString().getBytes(StandardCharsets.UTF_8),
        Map.of("Cache-Control", "no-store"));
  }
}

package io.github.wsproducer.screens;

import io.github.wsproducer.Authenticator;
import io.github.wsproducer.spi.HttpContext;
import io.github.wsproducer.spi.HttpRequest;
import io.github.wsproducer.spi.HttpResponse;
import io.github.wsproducer.spi.HttpRoute;
import io.github.wsproducer.spi.WebResources;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The fleet's HTTP endpoints ({@code docs/fleet.md}): the operators' page, the pages' reports, the
 * list and the commands; each request decided from its head, so that a refused report's body is
 * never read.
 */
final class FleetRoute implements HttpRoute {
  /** What is wrong with the screens' file: {@code {"problems": [...]}}, empty when nothing. */
  static final String PROBLEMS = Screens.FLEET + "/problems";

  private final Fleet fleet;
  private final Authenticator operators;
  private final Runnable republish; // sends the fleet's commands to the pages
  private final Supplier<String> problem; // what is wrong with the screens' file, or null

  FleetRoute(Fleet fleet, Authenticator operators, Runnable republish, Supplier<String> problem) {
    this.fleet = fleet;
    this.operators = operators;
    this.republish = republish;
    this.problem = problem;
  }

  @Override
  public boolean serves(String path) {
    return path.equals(Screens.FLEET) || path.startsWith(Screens.FLEET + "/");
  }

  /** Method, credentials and rate, from the head: a refused report's body is never read. */
  @Override
  public HttpResponse check(HttpRequest head, HttpContext http) {
    String path = head.path();
    boolean get = head.method().equals("GET");
    if (path.equals(Screens.FLEET_PAGE) && get) {
      return null;
    }
    if (path.equals(Screens.FLEET + "/report")) {
      if (!head.method().equals("POST")) {
        return http.onlyMethod("POST");
      }
      if (!http.isClient(head)) {
        return http.unauthorized();
      }
      if (!fleet.mayReport(head.address(), http.clock().millis())) {
        return http.error(
                429,
                "more than "
                    + Fleet.REPORTS_PER_ADDRESS
                    + " reports from one address in "
                    + Fleet.REPORT_MILLIS / 1000
                    + " s")
            .withHeader("Retry-After", Long.toString(Fleet.REPORT_MILLIS / 1000));
      }
      return null;
    }
    boolean read = path.equals(Screens.FLEET) || path.equals(PROBLEMS);
    if (read != get) {
      return http.onlyMethod(read ? "GET" : "POST");
    }
    return http.authenticate(operators, head) == null ? http.unauthorized() : null;
  }

  /** A request {@link #check} admitted. */
  @Override
  public HttpResponse serve(HttpRequest request, HttpContext http) {
    String path = request.path();
    if (path.equals(Screens.FLEET_PAGE)) { // no data in it: its script asks for a token
      WebResources.Resource page = WebResources.find("/wsproducer/screens/fleet.html");
      byte[] bytes = new byte[page.bytes().remaining()];
      page.bytes().get(bytes);
      return new HttpResponse(200, page.contentType(), bytes, Map.of());
    }
    long now = http.clock().millis();
    if (path.equals(Screens.FLEET + "/report")) {
      return report(request, http, now);
    }
    if (path.equals(Screens.FLEET)) {
      return http.json(200, fleet.list(now, Screens.KIT));
    }
    if (path.equals(PROBLEMS)) {
      String wrong = problem.get();
      return http.json(200, Map.of("problems", wrong == null ? List.of() : List.of(wrong)));
    }
    if (path.equals(Screens.FLEET + "/reload")) {
      fleet.reload("*");
      return command(Map.of("reload", "*", "online", fleet.online(now)), http);
    }
    String[] parts = path.substring(Screens.FLEET.length() + 1).split("/", -1);
    if (parts.length != 2 || !(parts[1].equals("reload") || parts[1].equals("identify"))) {
      return http.error(404, "not found");
    }
    if (!fleet.knows(parts[0])) {
      return http.error(404, "no screen " + parts[0] + " has reported");
    }
    if (parts[1].equals("reload")) {
      fleet.reload(parts[0]);
    } else {
      fleet.identify(parts[0]);
    }
    return command(Map.of(parts[1], parts[0]), http);
  }

  private HttpResponse report(HttpRequest request, HttpContext http, long now) {
    try {
      JsonNode report = http.body(request); // JSON only: it comes from anyone
      String handle = fleet.report(report, request.address(), now);
      return http.json(202, Map.of("next", Fleet.REPORT_MILLIS, "handle", handle));
    } catch (JacksonException e) {
      return http.malformed(e);
    } catch (IllegalArgumentException e) {
      return http.error(400, e.getMessage());
    }
  }

  /** Sends the fleet's commands to the pages; answers 202 with {@code answer}. */
  private HttpResponse command(Map<String, Object> answer, HttpContext http) {
    republish.run();
    return http.json(202, answer);
  }
}

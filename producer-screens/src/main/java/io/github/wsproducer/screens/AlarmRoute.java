package io.github.wsproducer.screens;

import io.github.wsproducer.Authenticator;
import io.github.wsproducer.Identity;
import io.github.wsproducer.spi.HttpContext;
import io.github.wsproducer.spi.HttpRequest;
import io.github.wsproducer.spi.HttpResponse;
import io.github.wsproducer.spi.HttpRoute;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The alarms for operators, as the fleet's endpoints ({@code docs/fleet.md}): {@code GET /alarms}
 * lists them, {@code POST /alarms/{id}/ack} acknowledges one.
 */
final class AlarmRoute implements HttpRoute {
  static final String PATH = "/alarms";
  private static final Pattern ACK = Pattern.compile(PATH + "/([A-Za-z0-9-]{1,64})/ack");

  private final Alarms alarms;
  private final Authenticator operators;

  AlarmRoute(Alarms alarms, Authenticator operators) {
    this.alarms = alarms;
    this.operators = operators;
  }

  @Override
  public boolean serves(String path) {
    return path.equals(PATH) || path.startsWith(PATH + "/");
  }

  @Override
  public HttpResponse check(HttpRequest head, HttpContext http) {
    String method = head.path().equals(PATH) ? "GET" : "POST";
    if (!head.method().equals(method)) {
      return http.onlyMethod(method);
    }
    return http.authenticate(operators, head) == null ? http.unauthorized() : null;
  }

  @Override
  public HttpResponse serve(HttpRequest request, HttpContext http) {
    if (request.path().equals(PATH)) {
      return http.json(200, alarms.list());
    }
    Matcher ack = ACK.matcher(request.path());
    if (!ack.matches()) {
      return http.error(404, "not found; acknowledge with POST " + PATH + "/{id}/ack");
    }
    Identity who = http.authenticate(operators, request);
    var alarm = alarms.acknowledge(ack.group(1), who.name(), http.clock().millis());
    return alarm == null
        ? http.error(404, "no alarm " + ack.group(1) + ": it cleared, or never was")
        : http.json(202, alarm);
  }
}

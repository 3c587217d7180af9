package io.github.wsproducer.jetty;

import io.github.wsproducer.spi.WebResources;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Adds the headers a page for wall screens should carry ({@link WebResources#SECURITY_HEADERS}) to
 * every response that passes through it: a strict {@code Content-Security-Policy} (scripts, styles
 * and connections from the page's own origin only, no inline script, no framing), {@code
 * X-Content-Type-Options: nosniff}, {@code X-Frame-Options: DENY} and {@code Referrer-Policy:
 * no-referrer}. {@link HubWebSocket} sends them with what it serves itself (the client script,
 * refusals); wrap your pages' handler to send them too, and keep your pages' scripts and styles in
 * files.
 *
 * <pre>{@code
 * server.setHandler(new SecurityHeaders(pages));
 * HubWebSocket.builder(hub).build().mount(server);
 * }</pre>
 */
public final class SecurityHeaders extends Handler.Wrapper {
  /** Wraps {@code pages}. */
  public SecurityHeaders(Handler pages) {
    super(pages);
  }

  /** Puts the headers on a response. */
  public static void addTo(Response response) {
    HttpFields.Mutable headers = response.getHeaders();
    WebResources.SECURITY_HEADERS.forEach(headers::put);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    addTo(response);
    return super.handle(request, response, callback);
  }
}

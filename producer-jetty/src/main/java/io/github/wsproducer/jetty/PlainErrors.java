package io.github.wsproducer.jetty;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (a malformed request, a body that timed out) with the security headers
 * every other answer carries, in plain text and without stacks or causes. {@link HubWebSocket}
 * installs it on a server that has Jetty's default error handler.
 */
final class PlainErrors extends ErrorHandler {
  PlainErrors() {
    setShowStacks(false);
    setShowCauses(false);
    setShowOrigin(false);
    setDefaultResponseMimeType("text/plain");
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    SecurityHeaders.addTo(response);
    return super.handle(request, response, callback);
  }
}

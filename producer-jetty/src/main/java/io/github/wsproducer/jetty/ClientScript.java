package io.github.wsproducer.jetty;

import io.github.wsproducer.spi.WebResources;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Serves the browser client {@code wsproducer.js} ({@link WebResources}) with its ETag. */
final class ClientScript {
  private ClientScript() {}

  static void serve(Request request, Response response, Callback callback) {
    SecurityHeaders.addTo(response);
    String etag = WebResources.clientScriptEtag();
    response.getHeaders().put(HttpHeader.ETAG, etag);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    if (etag.equals(request.getHeaders().get(HttpHeader.IF_NONE_MATCH))) {
      response.setStatus(HttpStatus.NOT_MODIFIED_304);
      callback.succeeded();
      return;
    }
    response.setStatus(HttpStatus.OK_200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, WebResources.CLIENT_SCRIPT_TYPE);
    response.write(true, WebResources.clientScript(), callback);
  }
}

package io.github.wsproducer.jetty;

import io.github.wsproducer.spi.WebResources;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Serves what the library serves over HTTP ({@link WebResources#find}): the browser client, and the
 * screen kit's pages when it is on the class path; with ETags and the security headers.
 */
final class LibraryFiles {
  private LibraryFiles() {}

  static void serve(
      WebResources.Resource file, Request request, Response response, Callback callback) {
    SecurityHeaders.addTo(response);
    response.getHeaders().put(HttpHeader.ETAG, file.etag());
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    if (file.etag().equals(request.getHeaders().get(HttpHeader.IF_NONE_MATCH))) {
      response.setStatus(HttpStatus.NOT_MODIFIED_304);
      callback.succeeded();
      return;
    }
    response.setStatus(HttpStatus.OK_200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, file.contentType());
    response.write(true, file.bytes(), callback);
  }
}

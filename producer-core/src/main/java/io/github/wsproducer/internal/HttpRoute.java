package io.github.wsproducer.internal;

import io.github.wsproducer.spi.HttpRequest;
import io.github.wsproducer.spi.HttpResponse;

/**
 * HTTP endpoints of a library module (the push API, the screen fleet), which every transport serves
 * through the hub's {@link io.github.wsproducer.spi.Endpoint} after its host, origin and size
 * checks. A source that implements it is served by the hub it is added to.
 */
public interface HttpRoute {

  /** Whether this route answers requests to {@code path}. */
  boolean serves(String path);

  /** Answers a request to a path it serves; must not block. */
  HttpResponse serve(HttpRequest request, Http http);
}

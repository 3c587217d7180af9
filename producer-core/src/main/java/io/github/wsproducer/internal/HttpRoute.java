package io.github.wsproducer.internal;

import io.github.wsproducer.UpdateSource;
import io.github.wsproducer.spi.HttpRequest;
import io.github.wsproducer.spi.HttpResponse;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * HTTP endpoints of a library module (the push API, the screen fleet), which every transport serves
 * through the hub's {@link io.github.wsproducer.spi.Endpoint} after its host, origin and size
 * checks. A source {@link #attach}es its route, and the hub it is added to serves it: so the
 * source's public type does not show this interface.
 */
public interface HttpRoute {

  /** The routes of sources, by identity; weakly, so that a source is not kept. */
  Map<Object, HttpRoute> ATTACHED = Collections.synchronizedMap(new WeakHashMap<>());

  /** Attaches {@code route} to {@code source}: a hub that gets the source serves the route. */
  static void attach(UpdateSource source, HttpRoute route) {
    ATTACHED.put(source, route);
  }

  /** The route attached to {@code source}, or {@code null}. */
  static HttpRoute of(UpdateSource source) {
    return ATTACHED.get(source);
  }

  /** Whether this route answers requests to {@code path}. */
  boolean serves(String path);

  /**
   * Checks a request to a path it serves from its head alone, before its body is read: method,
   * credentials, rate. {@code null} admits it; the body is then read and {@link #serve}d. Must not
   * block.
   */
  HttpResponse check(HttpRequest head, Http http);

  /** Answers a request that {@link #check} admitted, with its body; must not block. */
  HttpResponse serve(HttpRequest request, Http http);
}

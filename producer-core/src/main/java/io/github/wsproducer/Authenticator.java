package io.github.wsproducer;

import java.util.Optional;

/**
 * Decides who is connecting, for every transport: a hub with an authenticator ({@link
 * Hub.Builder#authenticator}) refuses a handshake it finds no identity for with 401, after the host
 * and origin checks (a foreign origin is refused with 403 before any credential is read).
 *
 * <p>Called on the transport's I/O threads for every handshake: it must be quick and must not
 * block. {@link TokenAuthenticator} covers the common case.
 */
@FunctionalInterface
public interface Authenticator {

  /**
   * The identity of the client making {@code request}; empty to refuse it. An exception refuses it
   * too, and is logged.
   */
  Optional<Identity> authenticate(ClientRequest request);
}

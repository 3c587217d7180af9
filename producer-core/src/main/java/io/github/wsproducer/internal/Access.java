package io.github.wsproducer.internal;

import io.github.wsproducer.Authenticator;
import io.github.wsproducer.ClientRequest;
import io.github.wsproducer.Identity;
import io.github.wsproducer.TopicAuthorizer;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Who may connect and read what: a hub's authenticator and authorizer, either may be absent. */
final class Access {
  private static final Logger log = LoggerFactory.getLogger(Access.class);

  private final Authenticator authenticator; // or null
  private final TopicAuthorizer authorizer; // or null
  private final Clock clock;

  Access(Authenticator authenticator, TopicAuthorizer authorizer, Clock clock) {
    this.authenticator = authenticator;
    this.authorizer = authorizer;
    this.clock = clock;
  }

  /** The hub's authenticator, or {@code null}. */
  Authenticator authenticator() {
    return authenticator;
  }

  /** The hub's topic authorizer, or {@code null}. */
  TopicAuthorizer authorizer() {
    return authorizer;
  }

  /** Whether {@code identity} may read {@code topic}: always, without an authorizer. */
  boolean mayRead(Identity identity, String topic) {
    return authorizer == null || authorizer.mayRead(identity, topic);
  }

  Clock clock() {
    return clock;
  }

  /**
   * The identity {@code authenticator} finds in {@code request}, or {@code null}: none, expired, or
   * the authenticator failed (logged; a failing authenticator refuses, never admits).
   */
  Identity identify(Authenticator authenticator, ClientRequest request) {
    try {
      Identity identity = authenticator.authenticate(request).orElse(null);
      boolean expired =
          identity != null
              && identity.expires() != null
              && identity.expires().toEpochMilli() <= clock.millis();
      return expired ? null : identity;
    } catch (RuntimeException e) {
      log.error("the authenticator failed on {}; refused", request, e);
      return null;
    }
  }
}

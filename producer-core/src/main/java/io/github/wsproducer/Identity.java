package io.github.wsproducer;

import java.time.Instant;
import java.util.Objects;

/**
 * Who a connection belongs to, as an {@link Authenticator} found: a name, for logs and for a {@link
 * TopicAuthorizer}, and when it stops being valid.
 *
 * @param name a short name such as {@code lobby-screen}; never a secret, as it is logged
 * @param expires when the connection is closed (1008, "authentication expired"), or {@code null}
 *     for never
 */
public record Identity(String name, Instant expires) {

  public Identity {
    Objects.requireNonNull(name, "name");
  }

  /** An identity that does not expire. */
  public static Identity of(String name) {
    return new Identity(name, null);
  }
}

package io.github.wsproducer;

/**
 * Decides which topics an identity may read ({@link Hub.Builder#authorizer}): the plain form of a
 * topic it may not read is refused with 403 at the handshake; in the envelope form, {@code hello}
 * lists only the topics it may read and a {@code subscribe} to another is answered with an {@code
 * error} frame of code {@code forbidden}, and no data of that topic.
 *
 * <p>Called on I/O threads at the handshake and on every subscribe: it must be quick.
 */
@FunctionalInterface
public interface TopicAuthorizer {

  /**
   * Whether {@code identity} may read {@code topic}; {@code identity} is {@code null} when the hub
   * has no {@link Authenticator}.
   */
  boolean mayRead(Identity identity, String topic);
}

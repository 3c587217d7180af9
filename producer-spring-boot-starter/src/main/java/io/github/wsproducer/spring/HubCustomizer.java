package io.github.wsproducer.spring;

import io.github.wsproducer.Hub;

/**
 * Changes the auto-configured hub before it is built: an authenticator, a topic authorizer, the
 * push API. Declare it as a bean; every one is applied, in {@code @Order}.
 *
 * <pre>{@code
 * @Bean
 * HubCustomizer screensNeedATokens(@Value("${wall.token}") String token) {
 *   return hub -> hub.authenticator(TokenAuthenticator.of(Map.of("wall", token)));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface HubCustomizer {
  /** Sets what the hub needs beyond the application's topics and sources. */
  void customize(Hub.Builder hub);
}

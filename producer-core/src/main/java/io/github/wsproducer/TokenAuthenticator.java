package io.github.wsproducer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Authenticates clients by secret tokens, each with a name: the token comes as {@code
 * Authorization: Bearer TOKEN} (a program), a cookie {@value #COOKIE} or a query parameter {@value
 * #QUERY_PARAMETER} (a browser page, which cannot set headers on a WebSocket). Tokens are compared
 * in constant time, as SHA-256 digests, so that the time a refusal takes tells nothing of them; the
 * library never logs them.
 *
 * <pre>{@code
 * Hub.builder()
 *     .authenticator(TokenAuthenticator.of(Map.of("lobby-screen", System.getenv("LOBBY_TOKEN"))))
 * }</pre>
 */
public final class TokenAuthenticator implements Authenticator {
  /** The query parameter a page may send its token in: {@code ws://host/?token=...}. */
  public static final String QUERY_PARAMETER = "token";

  /** The cookie a page may send its token in. */
  public static final String COOKIE = "wsproducer_token";

  /** Tokens shorter than this are refused at configuration: they could be guessed. */
  public static final int MIN_LENGTH = 16;

  private final Map<String, byte[]> digests; // name -> SHA-256 of its token

  private TokenAuthenticator(Map<String, byte[]> digests) {
    this.digests = digests;
  }

  /**
   * An authenticator of these tokens, by name.
   *
   * @throws IllegalArgumentException naming the token's name if a token is shorter than {@value
   *     #MIN_LENGTH} characters or two names share a token
   */
  public static TokenAuthenticator of(Map<String, String> tokensByName) {
    Map<String, byte[]> digests = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : tokensByName.entrySet()) {
      String token = e.getValue();
      if (token == null || token.length() < MIN_LENGTH) {
        throw new IllegalArgumentException(
            "the token of \"" + e.getKey() + "\" must have at least " + MIN_LENGTH + " characters");
      }
      byte[] digest = sha256(token);
      for (Map.Entry<String, byte[]> other : digests.entrySet()) {
        if (MessageDigest.isEqual(other.getValue(), digest)) {
          throw new IllegalArgumentException(
              "\"" + e.getKey() + "\" and \"" + other.getKey() + "\" have the same token");
        }
      }
      digests.put(e.getKey(), digest);
    }
    if (digests.isEmpty()) {
      throw new IllegalArgumentException("no tokens: every client would be refused");
    }
    return new TokenAuthenticator(Map.copyOf(digests));
  }

  @Override
  public Optional<Identity> authenticate(ClientRequest request) {
    Optional<String> token =
        request
            .header("Authorization")
            .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
            .map(h -> h.substring(7).trim())
            .or(() -> request.cookie(COOKIE))
            .or(() -> request.queryParameter(QUERY_PARAMETER));
    if (token.isEmpty()) {
      return Optional.empty();
    }
    byte[] digest = sha256(token.get());
    String match = null;
    for (Map.Entry<String, byte[]> e : digests.entrySet()) { // every one: constant time
      if (MessageDigest.isEqual(e.getValue(), digest)) {
        match = e.getKey();
      }
    }
    return Optional.ofNullable(match).map(Identity::of);
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "TokenAuthenticator" + digests.keySet();
  }
}

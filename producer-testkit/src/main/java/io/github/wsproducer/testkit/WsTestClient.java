package io.github.wsproducer.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsproducer.protocol.Protocol;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real WebSocket client (the JDK's) that records the text messages it receives, for polling with
 * a timeout, and how the server closed. It can stop reading, like a screen whose browser hangs.
 *
 * <pre>{@code
 * WsTestClient screen = WsTestClient.envelope(URI.create("ws://127.0.0.1:" + port + "/"));
 * screen.send("{\"type\":\"subscribe\",\"topic\":\"orders\"}");
 * JsonNode snapshot = screen.next("snapshot");
 * }</pre>
 */
public final class WsTestClient implements WebSocket.Listener {
  /** JSON for reading frames in tests. */
  public static final JsonMapper JSON = JsonMapper.builder().build();

  private static final Duration WAIT = Duration.ofSeconds(10);

  /** How the server closed the connection; code 1006 when it dropped without a close frame. */
  public record Close(int code, String reason) {}

  /** The server answered the upgrade request with this HTTP status instead of upgrading. */
  public static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String retryAfter;

    Refused(int status, String retryAfter) {
      super("the server refused the upgrade with HTTP " + status);
      this.status = status;
      this.retryAfter = retryAfter;
    }

    /** The HTTP status of the refusal. */
    public int status() {
      return status;
    }

    /** The {@code Retry-After} header, or {@code null}. */
    public String retryAfter() {
      return retryAfter;
    }
  }

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
  private final StringBuilder partial = new StringBuilder();
  private final CompletableFuture<Close> closed = new CompletableFuture<>();
  private volatile boolean stalled;
  private volatile WebSocket socket;

  private WsTestClient() {}

  /** Starts connecting; the future fails with {@link Refused} when the server refuses. */
  public static CompletableFuture<WsTestClient> connectAsync(
      URI uri, String subprotocol, String origin) {
    WsTestClient client = new WsTestClient();
    WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(WAIT);
    if (subprotocol != null) {
      builder.subprotocols(subprotocol);
    }
    if (origin != null) {
      builder.header("Origin", origin);
    }
    return builder
        .buildAsync(uri, client)
        .handle(
            (ws, failure) -> {
              if (failure != null) {
                Throwable cause =
                    failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure;
                if (cause instanceof WebSocketHandshakeException refused) {
                  throw new CompletionException(
                      new Refused(
                          refused.getResponse().statusCode(),
                          refused.getResponse().headers().firstValue("Retry-After").orElse(null)));
                }
                throw new CompletionException(cause);
              }
              client.socket = ws;
              return client;
            });
  }

  /**
   * Connects and waits for the handshake.
   *
   * @param subprotocol {@link Protocol#SUBPROTOCOL} for the envelope form, {@code null} for plain
   * @param origin the {@code Origin} header, {@code null} for none
   * @throws Refused when the server answers with an HTTP status instead
   */
  public static WsTestClient connect(URI uri, String subprotocol, String origin) throws Exception {
    try {
      return connectAsync(uri, subprotocol, origin).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** An envelope client at {@code root} that has received {@code hello}. */
  public static WsTestClient envelope(URI root) throws Exception {
    WsTestClient client = connect(root, Protocol.SUBPROTOCOL, null);
    client.next("hello");
    return client;
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      texts.add(partial.toString());
      partial.setLength(0);
    }
    if (!stalled) {
      webSocket.request(1);
    }
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(new Close(statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.complete(new Close(1006, String.valueOf(error)));
  }

  /** Sends a text message. */
  public void send(String text) {
    socket.sendText(text, true).join();
  }

  /** Sends one text message in several frames, a fragment each. */
  public void sendInFragments(String... fragments) {
    for (int i = 0; i < fragments.length; i++) {
      socket.sendText(fragments[i], i == fragments.length - 1).join();
    }
  }

  /** Sends a binary message, which the protocol does not have. */
  public void sendBinary(byte[] bytes) {
    socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
  }

  /** Stops reading: the server's frames pile up in its queue and the socket's buffers. */
  public void stall() {
    stalled = true;
  }

  /** Closes the connection from the client's side. */
  public void close() {
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
  }

  /** The next message as text, failing after 10 s. */
  public String nextText() throws InterruptedException {
    String text = texts.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(text).as("a message within %s", WAIT).isNotNull();
    return text;
  }

  /** The next message as text, or {@code null} if none comes within {@code wait}. */
  public String poll(Duration wait) throws InterruptedException {
    return texts.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The next message parsed, failing after 10 s. */
  public JsonNode next() throws InterruptedException {
    return JSON.readTree(nextText());
  }

  /** The next message, which must be of this type. */
  public JsonNode next(String type) throws InterruptedException {
    JsonNode message = next();
    assertThat(message.path("type").asString()).as("type of %s", message).isEqualTo(type);
    return message;
  }

  /** How the server closed the connection, failing after 10 s. */
  public Close awaitClose() throws Exception {
    return closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** Whether the connection is closed. */
  public boolean isClosed() {
    return closed.isDone();
  }
}

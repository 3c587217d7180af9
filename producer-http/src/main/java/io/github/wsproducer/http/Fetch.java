package io.github.wsproducer.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One polled URL: a GET with the source's headers and the last {@code ETag}, answered within a
 * deadline (headers and body together) and a cap on the body, as JSON. Every failure becomes a
 * {@link Failure} with words for the screens (a status, "too slow", "unreachable"), never the
 * exception's text nor a header. Used by one poll at a time.
 */
final class Fetch {
  /** One client for every source: its selector thread and connection pool are shared. */
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NORMAL) // never from https to http
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** What went wrong, in words the screens show after the source's name. */
  static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message, null, false, false);
    }
  }

  /** An answer: its status and JSON body ({@code null} for 304 Not Modified). */
  record Answer(int status, JsonNode body) {}

  private final String name; // "api", "prometheus": what screens call the other side
  private final Map<String, String> headers;
  private final Duration timeout;
  private final long maxBytes;
  private String etag; // confined to the poll

  Fetch(String name, Map<String, String> headers, Duration timeout, long maxBytes) {
    this.name = name;
    this.headers = Map.copyOf(headers);
    this.timeout = timeout;
    this.maxBytes = maxBytes;
  }

  /** A failure, as the screens show it: {@code api error: HTTP 503}. */
  Failure failure(String what) {
    return new Failure(name + " " + what);
  }

  /**
   * GETs {@code uri}.
   *
   * @param conditional whether to send the last {@code ETag}, so that an unchanged answer is a 304
   * @throws Failure if it is unreachable, too slow, too big or not JSON; a non-2xx status is an
   *     answer, for the caller to judge
   * @throws InterruptedException if the source is closed meanwhile
   */
  Answer get(URI uri, boolean conditional) throws Failure, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET();
    headers.forEach(request::header);
    if (conditional && etag != null) {
      request.header("If-None-Match", etag);
    }
    CompletableFuture<HttpResponse<byte[]>> sent =
        CLIENT.sendAsync(request.build(), info -> new Capped(maxBytes));
    HttpResponse<byte[]> response;
    try {
      response = sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      sent.cancel(true);
      throw failure("too slow: no whole answer within " + seconds(timeout));
    } catch (InterruptedException e) {
      sent.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      throw describe(e.getCause());
    }
    int status = response.statusCode();
    if (status == 304) {
      return new Answer(status, null);
    }
    if (status / 100 == 2) {
      etag = response.headers().firstValue("ETag").orElse(null);
    }
    byte[] body = response.body();
    JsonNode json;
    try {
      json = body.length == 0 ? null : JSON.readTree(body);
    } catch (JacksonException e) {
      json = null;
      if (status / 100 == 2) {
        throw failure(
            "error: the answer is not JSON"
                + (e.getLocation() == null
                    ? ""
                    : " (line "
                        + e.getLocation().getLineNr()
                        + ", column "
                        + e.getLocation().getColumnNr()
                        + ")"));
      }
    }
    if (json == null && status / 100 == 2) {
      throw failure("error: the answer is empty");
    }
    return new Answer(status, json);
  }

  private Failure describe(Throwable cause) {
    for (Throwable c = cause; c != null; c = c.getCause()) {
      if (c instanceof TooBig) {
        return failure("error: the answer is over " + bytes(maxBytes));
      }
    }
    if (cause instanceof HttpConnectTimeoutException
        || cause instanceof ConnectException
        || cause instanceof UnresolvedAddressException
        || (cause != null && cause.getCause() instanceof UnresolvedAddressException)) {
      return failure("unreachable");
    }
    if (cause instanceof HttpTimeoutException) {
      return failure("too slow: no answer within " + seconds(timeout));
    }
    if (cause instanceof IOException) {
      return failure("unreachable: the connection failed");
    }
    return failure("error");
  }

  static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  static String bytes(long n) {
    return n % (1 << 20) == 0 ? (n >> 20) + " MiB" : n % 1024 == 0 ? (n >> 10) + " KiB" : n + " B";
  }

  private static final class TooBig extends IOException {
    private static final long serialVersionUID = 1L;
  }

  /** A body up to a cap: past it the exchange is cancelled, so a huge answer costs no heap. */
  private static final class Capped implements BodySubscriber<byte[]> {
    private final long max;
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    Capped(long max) {
      this.max = max;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (body.isDone()) {
        return;
      }
      for (ByteBuffer buffer : buffers) {
        if (bytes.size() + (long) buffer.remaining() > max) {
          subscription.cancel();
          body.completeExceptionally(new TooBig());
          return;
        }
        byte[] chunk = new byte[buffer.remaining()];
        buffer.get(chunk);
        bytes.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(Throwable failure) {
      body.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
      body.complete(bytes.toByteArray());
    }
  }
}

package io.github.wsproducer.jakarta.internal;

import io.github.wsproducer.spi.Endpoint;
import io.github.wsproducer.spi.Headers;
import io.github.wsproducer.spi.HttpAdmission;
import io.github.wsproducer.spi.HttpRequest;
import io.github.wsproducer.spi.HttpResponse;
import io.github.wsproducer.spi.WebResources;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP requests a {@link io.github.wsproducer.jakarta.HubFilter} answers itself: the endpoint's
 * routes (the push API, the fleet), their bodies read without blocking a thread, and the library's
 * files with their ETags, pages rebased under the filter's path.
 */
public final class JakartaRequests {
  private static final Logger log = LoggerFactory.getLogger(JakartaRequests.class);

  private final Endpoint endpoint;
  private final String path; // "" for the context's root, else "/live"
  private final Map<String, WebResources.Resource> rebased = new ConcurrentHashMap<>();

  public JakartaRequests(Endpoint endpoint, String path) {
    this.endpoint = endpoint;
    this.path = path;
  }

  /** The request's headers by lower-case name. */
  public static Map<String, List<String>> headers(HttpServletRequest request) {
    Headers headers = new Headers();
    for (String name : Collections.list(request.getHeaderNames())) {
      for (String value : Collections.list(request.getHeaders(name))) {
        headers.add(name, value);
      }
    }
    return headers.byName();
  }

  /**
   * The push API and the fleet. The endpoint decides from the head: a refused request is answered
   * without a byte of its body read, and the connection closed; an admitted one's body is read
   * without blocking a thread, up to its limit and within the handshake timeout (then 408 and the
   * connection closed).
   */
  public void serve(HttpServletRequest request, HttpServletResponse response, String path)
      throws IOException {
    HttpRequest head =
        new HttpRequest(
            request.getMethod(),
            path,
            request.getQueryString(),
            request.isSecure(),
            request.getServerName(),
            request.getServerPort(),
            request.getRemoteAddr(),
            request.getRemoteAddr() + ":" + request.getRemotePort(),
            headers(request),
            new byte[0]);
    HttpAdmission admission = endpoint.admit(head);
    boolean body =
        request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    if (admission instanceof HttpAdmission.Answer answer && body) {
      refuseWithBody(request, response, answer.response());
    } else if (admission instanceof HttpAdmission.Answer answer) {
      answer(request, response, answer.response());
    } else if (!body) {
      answerLater(request, response, ((HttpAdmission.ReadBody) admission).serve(new byte[0]));
    } else {
      new BodyReader(request, response, (HttpAdmission.ReadBody) admission).start();
    }
  }

  /**
   * Writes an answer of the hub's; a page of HTML with its {@code <base>} under the filter's path.
   */
  public void answer(HttpServletRequest request, HttpServletResponse response, HttpResponse answer)
      throws IOException {
    byte[] out = answer.body();
    if (isHtml(answer.contentType())) {
      out = rebase(out, base(request));
    }
    write(response, answer, out);
  }

  /** Writes an answer once it is ready, in the request's async context. */
  private void answerLater(
      HttpServletRequest request,
      HttpServletResponse response,
      CompletionStage<HttpResponse> answer) {
    AsyncContext async = request.startAsync(request, response);
    answer.thenAccept(ready -> answerAndComplete(async, ready));
  }

  private void answerAndComplete(AsyncContext async, HttpResponse answer) {
    try {
      answer(
          (HttpServletRequest) async.getRequest(),
          (HttpServletResponse) async.getResponse(),
          answer);
    } catch (IOException | RuntimeException e) {
      log.debug("an answer could not be written", e);
    } finally {
      async.complete();
    }
  }

  /**
   * Answers a refused request that has a body at once. A servlet cannot close its connection, and a
   * container reads an unread body to its end before the next request (Tomcat does so on a thread),
   * so what the client still sends is dropped as it arrives, without a thread, until the body ends
   * or the handshake timeout passes; then the container drops the connection.
   */
  private void refuseWithBody(
      HttpServletRequest request, HttpServletResponse response, HttpResponse answer)
      throws IOException {
    AsyncContext async = request.startAsync(request, response);
    async.setTimeout(endpoint.options().handshakeTimeout().toMillis());
    response.setHeader("Connection", "close");
    answer(request, response, answer);
    ServletInputStream in = request.getInputStream();
    byte[] dropped = new byte[8192];
    in.setReadListener(
        new ReadListener() {
          @Override
          public void onDataAvailable() throws IOException {
            while (in.isReady() && in.read(dropped) >= 0) {
              // dropped
            }
          }

          @Override
          public void onAllDataRead() {
            async.complete();
          }

          @Override
          public void onError(Throwable failure) {
            async.complete();
          }
        });
  }

  /** Reads an admitted body as it arrives, on the container's threads, then answers it. */
  private final class BodyReader implements ReadListener, AsyncListener {
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final HttpAdmission.ReadBody admitted;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final byte[] chunk = new byte[8192];
    private AsyncContext async;
    private ServletInputStream in;
    private boolean done; // guarded by this

    BodyReader(
        HttpServletRequest request, HttpServletResponse response, HttpAdmission.ReadBody admitted) {
      this.request = request;
      this.response = response;
      this.admitted = admitted;
    }

    void start() throws IOException {
      async = request.startAsync(request, response);
      async.setTimeout(endpoint.options().handshakeTimeout().toMillis());
      async.addListener(this);
      in = request.getInputStream();
      in.setReadListener(this);
    }

    @Override
    public void onDataAvailable() throws IOException {
      while (in.isReady()) {
        int n = in.read(chunk);
        if (n < 0) {
          return;
        }
        body.write(chunk, 0, n);
        if (body.size() > admitted.limit()) {
          response.setHeader("Connection", "close");
          finish(HttpResponse.tooLarge(admitted.limit()));
          return;
        }
      }
    }

    @Override
    public void onAllDataRead() throws IOException {
      finish(null);
    }

    /** Answers with {@code answer}, or serves the body when it is {@code null}; once. */
    private void finish(HttpResponse answer) {
      synchronized (this) {
        if (done) {
          return;
        }
        done = true;
      }
      try {
        if (answer != null) {
          answerAndComplete(async, answer);
        } else {
          admitted.serve(body.toByteArray()).thenAccept(ready -> answerAndComplete(async, ready));
        }
      } finally {
        admitted.close();
      }
    }

    @Override
    public void onError(Throwable failure) {
      drop();
    }

    @Override
    public void onTimeout(AsyncEvent event) throws IOException {
      response.setHeader("Connection", "close");
      finish(HttpResponse.json(408, "{\"error\":\"the body did not arrive in time\"}"));
    }

    @Override
    public void onError(AsyncEvent event) {
      drop();
    }

    private void drop() {
      synchronized (this) {
        done = true;
      }
      admitted.close();
      async.complete();
    }

    @Override
    public void onComplete(AsyncEvent event) {
      admitted.close();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {}
  }

  /** The client script and the screen kit's files ({@link WebResources#find}). */
  public boolean libraryFile(HttpServletRequest request, HttpServletResponse response, String path)
      throws IOException {
    String method = request.getMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return false;
    }
    WebResources.Resource file = WebResources.find(path);
    if (file == null) {
      return false;
    }
    String base = base(request);
    if (isHtml(file.contentType()) && !base.equals("/")) {
      WebResources.Resource page = file;
      file =
          rebased.computeIfAbsent(
              base + path,
              k -> {
                byte[] html = rebase(bytes(page.bytes()), base);
                return new WebResources.Resource(
                    ByteBuffer.wrap(html), page.contentType(), WebResources.etag(html));
              });
    }
    HttpResponse answer = file.answer(request.getHeader("If-None-Match"));
    write(response, answer, answer.body());
    return true;
  }

  /** Where the hub's paths start for a browser: the context's path and the filter's, then "/". */
  private String base(HttpServletRequest request) {
    return request.getContextPath() + path + "/";
  }

  private static boolean isHtml(String contentType) {
    return contentType != null && contentType.startsWith("text/html");
  }

  /**
   * The library's page with its {@code <base href="/">} pointing at {@code base} instead, so that
   * its relative links, scripts and sockets reach the hub under a path.
   */
  private static byte[] rebase(byte[] html, String base) {
    if (base.equals("/")) {
      return html;
    }
    String page = new String(html, StandardCharsets.UTF_8);
    String escaped = base.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
    return page.replace("<base href=\"/\">", "<base href=\"" + escaped + "\">")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] b = new byte[buffer.remaining()];
    buffer.get(b);
    return b;
  }

  /**
   * A response with the security headers and {@code no-store} unless the answer says otherwise; not
   * the container's error page, which names it.
   */
  private static void write(HttpServletResponse response, HttpResponse answer, byte[] body)
      throws IOException {
    response.setStatus(answer.status());
    WebResources.SECURITY_HEADERS.forEach(response::setHeader);
    response.setHeader("Cache-Control", "no-store");
    answer.headers().forEach(response::setHeader);
    response.setContentType(answer.contentType());
    response.setContentLength(body.length);
    try (OutputStream out = response.getOutputStream()) {
      out.write(body);
    }
  }
}

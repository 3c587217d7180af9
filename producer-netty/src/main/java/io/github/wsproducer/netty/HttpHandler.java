package io.github.wsproducer.netty;

import io.github.wsproducer.spi.Endpoint;
import io.github.wsproducer.spi.Handshake;
import io.github.wsproducer.spi.HttpAdmission;
import io.github.wsproducer.spi.HttpConnections;
import io.github.wsproducer.spi.HttpRequest;
import io.github.wsproducer.spi.HttpResponse;
import io.github.wsproducer.spi.TransportOptions;
import io.github.wsproducer.spi.WebResources;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of one connection: upgrades (decided by the hub's {@link Endpoint}), the client
 * script and static files. A request must arrive whole within the handshake timeout of the
 * connection's start or of the previous response; a slow one is dropped.
 */
final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(HttpHandler.class);
  private static final HttpHeaders SECURITY = new DefaultHttpHeaders();
  private static final byte[] NO_BODY = {};

  static {
    WebResources.SECURITY_HEADERS.forEach(SECURITY::set);
  }

  private final Endpoint endpoint;
  private final List<StaticFiles> files;
  private final WebSocketServerHandshakerFactory handshakers;
  private final HttpConnections http;
  private String counted; // the address this connection is counted under in http, or null
  // By when (System.nanoTime()) a whole request must have come, or NONE; the server's sweep
  // closes the connection once it has passed.
  private volatile long deadline = NONE;
  private static final long NONE = Long.MIN_VALUE;

  private HttpHandler(
      Endpoint endpoint,
      List<StaticFiles> files,
      WebSocketServerHandshakerFactory handshakers,
      HttpConnections http) {
    this.endpoint = endpoint;
    this.files = files;
    this.handshakers = handshakers;
    this.http = http;
  }

  /** What sets up the pipeline of each new connection of a server. */
  static Consumer<SocketChannel> installer(Endpoint endpoint, List<StaticFiles> files) {
    TransportOptions options = endpoint.options();
    WebSocketServerHandshakerFactory handshakers =
        new WebSocketServerHandshakerFactory(
            "/", // Netty only reports it; the hub has checked the request's path
            null, // the hub chose the subprotocol: see upgrade
            WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength((int) options.maxMessageSize())
                .allowExtensions(options.deflate())
                .closeOnProtocolViolation(false) // NettyConnection closes
                .withUTF8Validator(true)
                .build());
    HttpConnections http = new HttpConnections(options.maxConnectionsPerAddress());
    return ch -> {
      ChannelPipeline p = ch.pipeline();
      p.addLast(new HttpServerCodec());
      p.addLast(new BodyAdmission(endpoint));
      p.addLast(new Aggregator(endpoint));
      if (options.deflate()) {
        p.addLast(new WebSocketServerCompressionHandler((int) options.maxMessageSize()));
      }
      p.addLast(new HttpHandler(endpoint, files, handshakers, http));
    };
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    String address =
        ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress();
    if (!http.open(address)) {
      log.debug("{}: too many HTTP connections from its address, closed", address);
      ctx.close();
      return;
    }
    counted = address;
    armDeadline();
    super.channelActive(ctx);
  }

  /** Closed, or upgraded: no longer an HTTP connection of its address. */
  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (counted != null) {
      http.closed(counted);
      counted = null;
    }
  }

  private void armDeadline() {
    deadline = System.nanoTime() + endpoint.options().handshakeTimeout().toNanos();
  }

  /** Whether a request was awaited for longer than the handshake timeout. */
  boolean overdue(long now) {
    long by = deadline;
    return by != NONE && now - by >= 0;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    deadline = NONE;
    QueryStringDecoder uri = new QueryStringDecoder(request.uri()); // decoded once, here
    if (!request.decoderResult().isSuccess() || !decodes(uri) || !oneHost(request.headers())) {
      send(ctx, text(HttpResponseStatus.BAD_REQUEST, "bad request"), false);
      return;
    }
    if (isUpgrade(request.headers())) {
      upgrade(ctx, request, uri);
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    String path = uri.path();
    if (endpoint.serves(path)) {
      HttpAdmission.ReadBody admitted = ctx.channel().attr(BodyAdmission.ADMITTED).getAndSet(null);
      byte[] body = ByteBufUtil.getBytes(request.content());
      send(
          ctx,
          response(
              admitted != null
                  ? admitted.serve(body)
                  : endpoint.serve(httpRequest(ctx, request, uri, body))),
          keepAlive);
      return;
    }
    HttpMethod method = request.method();
    if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
      FullHttpResponse response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed");
      response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
      send(ctx, response, keepAlive);
      return;
    }
    FullHttpResponse response = null;
    WebResources.Resource library = WebResources.find(path);
    if (library != null) {
      response =
          StaticFiles.cached(request, library.bytes(), library.etag(), library.contentType());
    }
    for (int i = 0; response == null && i < files.size(); i++) {
      response = files.get(i).serve(request, path);
    }
    if (response == null) {
      response = text(HttpResponseStatus.NOT_FOUND, "not found");
    }
    if (method.equals(HttpMethod.HEAD)) {
      HttpUtil.setContentLength(response, response.content().readableBytes());
      response.content().clear();
    }
    send(ctx, response, keepAlive);
  }

  /**
   * Whether the request has one well-formed {@code Host} header: a second one, or one such as
   * {@code evil.example:80:80}, gets 400, as from other servers.
   */
  static boolean oneHost(HttpHeaders headers) {
    List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
    return hosts.size() <= 1 && (hosts.isEmpty() || Host.parse(hosts.get(0), 80) != null);
  }

  /** Whether the path decodes: a malformed escape, such as {@code /%zz}, does not. */
  static boolean decodes(QueryStringDecoder uri) {
    try {
      uri.path();
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static boolean isUpgrade(HttpHeaders headers) {
    return headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
        && headers.contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
  }

  private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri) {
    Handshake.Decision decision = endpoint.decide(handshake(ctx, request, uri));
    if (decision instanceof Handshake.Refuse refuse) {
      send(ctx, response(refuse.response()), false);
      return;
    }
    Handshake.Accept accept = (Handshake.Accept) decision;
    WebSocketServerHandshaker handshaker = handshakers.newHandshaker(request);
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel())
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    // Nothing is read until the hub has the connection: no frame can come before it.
    ctx.channel().config().setAutoRead(false);
    NettyConnection ws = new NettyConnection(endpoint.options());
    ctx.pipeline().replace(this, NettyConnection.NAME, ws);
    // The subprotocol the hub chose, named here: Netty's own choice reads only the first
    // Sec-WebSocket-Protocol line of a request, so a second line's offer would be answered
    // without it while the hub speaks it.
    HttpHeaders chosen = null;
    if (accept.subprotocol() != null) {
      chosen =
          new DefaultHttpHeaders()
              .set(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, accept.subprotocol());
    }
    handshaker
        .handshake(ctx.channel(), request, chosen, ctx.newPromise())
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (f.isSuccess()) {
                    ws.open(f.channel(), endpoint.open(accept, ws.outbound(f.channel())));
                    f.channel().config().setAutoRead(true);
                  } else {
                    f.channel().close();
                  }
                });
  }

  private static Handshake handshake(
      ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri) {
    Head head = Head.of(ctx, request, uri);
    return new Handshake(
        head.uri.path(),
        request.headers().contains(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)
            ? Handshake.subprotocols(
                request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL))
            : List.of(),
        request.headers().get(HttpHeaderNames.ORIGIN),
        false,
        head.host.name(),
        head.host.port(),
        head.address,
        head.remote,
        head.query(),
        Handshake.headersWhenRead(head::byName));
  }

  /** The request for the endpoint; its body, or none while only the head is in. */
  static HttpRequest httpRequest(
      ChannelHandlerContext ctx,
      io.netty.handler.codec.http.HttpRequest request,
      QueryStringDecoder uri,
      byte[] body) {
    Head head = Head.of(ctx, request, uri);
    return new HttpRequest(
        request.method().name(),
        head.uri.path(),
        head.query(),
        false,
        head.host.name(),
        head.host.port(),
        head.address,
        head.remote,
        head.byName(),
        body == null ? NO_BODY : body);
  }

  /** What a handshake and an HTTP request both carry. */
  private record Head(
      QueryStringDecoder uri, Host host, String address, String remote, HttpHeaders headers) {

    static Head of(
        ChannelHandlerContext ctx,
        io.netty.handler.codec.http.HttpRequest request,
        QueryStringDecoder uri) {
      InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
      InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
      String address = remote.getAddress().getHostAddress();
      return new Head(
          uri,
          Host.parse(request.headers().get(HttpHeaderNames.HOST), local.getPort()),
          address,
          address + ":" + remote.getPort(),
          request.headers());
    }

    /** The headers by lower-case name, with as little garbage as it takes. */
    Map<String, List<String>> byName() {
      Map<String, List<String>> byName = new HashMap<>();
      for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
          it.hasNext(); ) {
        Map.Entry<CharSequence, CharSequence> header = it.next();
        byName.merge(
            AsciiString.of(header.getKey()).toLowerCase().toString(),
            List.of(header.getValue().toString()),
            Head::both);
      }
      return byName;
    }

    String query() {
      return uri.rawQuery().isEmpty() ? null : uri.rawQuery();
    }

    private static List<String> both(List<String> first, List<String> second) {
      List<String> all = new ArrayList<>(first);
      all.addAll(second);
      return all;
    }
  }

  static FullHttpResponse response(HttpResponse answer) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(answer.status()),
            Unpooled.wrappedBuffer(answer.body()));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    answer.headers().forEach(response.headers()::set);
    return response;
  }

  /**
   * Aggregates a request whole: bodies up to the message size for the paths the endpoint serves,
   * and a larger one gets the endpoint's 413; other requests have no body to speak of.
   */
  private static final class Aggregator extends HttpObjectAggregator {
    private final Endpoint endpoint;
    // A request without a body, as every handshake is, until the decoder's (empty) end of it:
    // then it is whole, with no buffer made to gather a body into.
    private io.netty.handler.codec.http.HttpRequest bodiless;

    Aggregator(Endpoint endpoint) {
      super((int) Math.min(Integer.MAX_VALUE, endpoint.options().maxMessageSize()));
      this.endpoint = endpoint;
    }

    @Override
    public boolean acceptInboundMessage(Object msg) throws Exception {
      return bodiless != null ? msg instanceof LastHttpContent : super.acceptInboundMessage(msg);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, HttpObject msg, List<Object> out)
        throws Exception {
      if (bodiless != null) {
        io.netty.handler.codec.http.HttpRequest request = bodiless;
        bodiless = null;
        FullHttpRequest whole =
            new DefaultFullHttpRequest(
                request.protocolVersion(),
                request.method(),
                request.uri(),
                Unpooled.EMPTY_BUFFER,
                request.headers(),
                ((LastHttpContent) msg).trailingHeaders());
        whole.setDecoderResult(request.decoderResult());
        out.add(whole);
      } else if (msg instanceof io.netty.handler.codec.http.HttpRequest request
          && !(msg instanceof FullHttpRequest)
          && request.decoderResult().isSuccess() // a failed one ends here: no end follows
          && !HttpUtil.isTransferEncodingChunked(request)
          && HttpUtil.getContentLength(request, 0L) == 0
          && !HttpUtil.is100ContinueExpected(request)) {
        bodiless = request;
      } else {
        super.decode(ctx, msg, out);
      }
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
      long limit = endpoint.options().maxMessageSize();
      FullHttpResponse response = response(HttpResponse.tooLarge(limit));
      response.headers().add(SECURITY);
      HttpUtil.setContentLength(response, response.content().readableBytes());
      HttpUtil.setKeepAlive(response, false);
      // The client may still be sending the body: closing now would reset the connection and
      // lose the answer. Half-close, drop what comes (the aggregator does), close a moment later.
      ctx.writeAndFlush(response)
          .addListener(
              (ChannelFutureListener)
                  f -> {
                    if (f.channel() instanceof SocketChannel socket) {
                      socket.shutdownOutput();
                    }
                    f.channel()
                        .eventLoop()
                        .schedule(() -> f.channel().close(), 1, TimeUnit.SECONDS);
                  });
    }
  }

  /** A few words of plain text, not an error page that would name the server. */
  static FullHttpResponse text(HttpResponseStatus status, String message) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            status,
            Unpooled.copiedBuffer(message + "\n", StandardCharsets.UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    return response;
  }

  /** Adds the security headers. */
  static void secure(FullHttpResponse response) {
    response.headers().add(SECURITY);
  }

  /** Sends a response with the security headers; keeps the connection for the next request. */
  private void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
    secure(response);
    if (!response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
      HttpUtil.setContentLength(response, response.content().readableBytes());
    }
    HttpUtil.setKeepAlive(response, keepAlive);
    if (keepAlive) {
      ctx.writeAndFlush(response);
      armDeadline();
    } else {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("HTTP connection dropped", cause);
    ctx.close();
  }

  /** The name and port a request was addressed to, from its {@code Host} header. */
  record Host(String name, int port) {
    /**
     * {@code name}, {@code name:port}, {@code [v6]} or {@code [v6]:port}; "" when absent; {@code
     * null} when malformed (an unbracketed IPv6 address, two colons, a port that is no number).
     */
    static Host parse(String header, int defaultPort) {
      if (header == null) {
        return new Host("", defaultPort);
      }
      int close = header.startsWith("[") ? header.indexOf(']') : -1;
      if (header.startsWith("[") && close < 0) {
        return null;
      }
      int colon = header.indexOf(':', Math.max(close, 0));
      if (colon != header.lastIndexOf(':') && close < 0
          || close > 0 && colon != close + 1 && close != header.length() - 1) {
        return null;
      }
      String name =
          close > 0 ? header.substring(1, close) : colon < 0 ? header : header.substring(0, colon);
      int port = defaultPort;
      if (colon >= 0 && (close < 0 || colon > close)) {
        try {
          port = Integer.parseInt(header, colon + 1, header.length(), 10);
        } catch (NumberFormatException e) {
          return null;
        }
        if (port < 0 || port > 65535 || header.charAt(colon + 1) == '+') {
          return null;
        }
      }
      return name.isEmpty() ? null : new Host(name, port);
    }
  }
}

package io.github.wsproducer.netty;

import io.github.wsproducer.spi.Endpoint;
import io.github.wsproducer.spi.Handshake;
import io.github.wsproducer.spi.HttpAdmission;
import io.github.wsproducer.spi.WebResources;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last HTTP handler of a connection's pipeline ({@link HttpPipeline}), for whole requests:
 * upgrades as the hub's {@link Endpoint} decides them, the endpoint's routes, the library's files
 * and the server's static files.
 */
final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(HttpHandler.class);

  private final Endpoint endpoint;
  private final List<StaticFiles> files;
  private final WebSocketServerHandshakerFactory handshakers;

  HttpHandler(
      Endpoint endpoint, List<StaticFiles> files, WebSocketServerHandshakerFactory handshakers) {
    this.endpoint = endpoint;
    this.files = files;
    this.handshakers = handshakers;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    QueryStringDecoder uri = new QueryStringDecoder(request.uri()); // decoded once, here
    if (!request.decoderResult().isSuccess()
        || !NettyRequests.decodes(uri)
        || !NettyRequests.oneHost(request.headers())) {
      send(ctx, Responses.text(HttpResponseStatus.BAD_REQUEST, "bad request"), false);
      return;
    }
    if (NettyRequests.isUpgrade(request.headers())) {
      upgrade(ctx, request, uri);
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    String path = uri.path();
    if (endpoint.serves(path)) {
      HttpAdmission.ReadBody admitted = ctx.channel().attr(BodyAdmission.ADMITTED).getAndSet(null);
      byte[] body = ByteBufUtil.getBytes(request.content());
      (admitted != null
              ? admitted.serve(body)
              : endpoint.serve(NettyRequests.httpRequest(ctx, request, uri, body)))
          .thenAccept(answer -> send(ctx, Responses.of(answer), keepAlive));
      return;
    }
    HttpMethod method = request.method();
    if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
      FullHttpResponse response =
          Responses.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed");
      response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
      send(ctx, response, keepAlive);
      return;
    }
    WebResources.Resource file = WebResources.find(path);
    for (int i = 0; file == null && i < files.size(); i++) {
      file = files.get(i).find(path);
    }
    FullHttpResponse response =
        file == null
            ? Responses.text(HttpResponseStatus.NOT_FOUND, "not found")
            : Responses.of(file.answer(request.headers().get(HttpHeaderNames.IF_NONE_MATCH)));
    if (method.equals(HttpMethod.HEAD)) {
      HttpUtil.setContentLength(response, response.content().readableBytes());
      response.content().clear();
    }
    send(ctx, response, keepAlive);
  }

  private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri) {
    Handshake.Decision decision = endpoint.decide(NettyRequests.handshake(ctx, request, uri));
    if (decision instanceof Handshake.Refuse refuse) {
      send(ctx, Responses.of(refuse.response()), false);
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
    ctx.pipeline().remove(HttpGate.class); // no longer an HTTP connection
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

  /** Sends a response with the security headers; keeps the connection for the next request. */
  private static void send(
      ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
    Responses.secure(response);
    if (!response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
      HttpUtil.setContentLength(response, response.content().readableBytes());
    }
    HttpUtil.setKeepAlive(response, keepAlive);
    if (keepAlive) {
      ctx.writeAndFlush(response);
    } else {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("HTTP connection dropped", cause);
    ctx.close();
  }
}

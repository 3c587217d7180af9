package io.github.wsproducer.netty;

import io.github.wsproducer.spi.Endpoint;
import io.github.wsproducer.spi.HttpResponse;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Aggregates a request whole: bodies up to the message size for the paths the endpoint serves, and
 * a larger one gets the endpoint's 413; other requests have no body to speak of.
 */
final class Aggregator extends HttpObjectAggregator {
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
    FullHttpResponse response = Responses.of(HttpResponse.tooLarge(limit));
    Responses.secure(response);
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
                  f.channel().eventLoop().schedule(() -> f.channel().close(), 1, TimeUnit.SECONDS);
                });
  }
}

package io.github.wsproducer.netty;

import io.github.wsproducer.spi.Endpoint;
import io.github.wsproducer.spi.HttpAdmission;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;

/**
 * Decides a request to a path the endpoint serves (the push API, the fleet) from its head, before
 * the aggregator gathers a byte of its body: a refused request is answered at once and the
 * connection closed, its body dropped unread; an admitted one goes on, holding its place in the
 * hub's body budgets until {@link HttpHandler} serves it or the connection ends.
 */
final class BodyAdmission extends ChannelInboundHandlerAdapter {
  /** The admission of the request being gathered, for {@link HttpHandler}. */
  static final AttributeKey<HttpAdmission.ReadBody> ADMITTED =
      AttributeKey.valueOf(BodyAdmission.class, "admitted");

  private final Endpoint endpoint;
  private boolean discarding; // after a refusal, until the connection closes

  BodyAdmission(Endpoint endpoint) {
    this.endpoint = endpoint;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (discarding) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest head
        && !(msg instanceof HttpContent)
        && head.decoderResult().isSuccess()
        && NettyRequests.oneHost(head.headers())
        && !NettyRequests.isUpgrade(head.headers())) {
      QueryStringDecoder uri = new QueryStringDecoder(head.uri());
      if (NettyRequests.decodes(uri) && endpoint.serves(uri.path())) {
        HttpAdmission admission = endpoint.admit(NettyRequests.httpRequest(ctx, head, uri, null));
        if (admission instanceof HttpAdmission.Answer answer) {
          refuse(ctx, head, answer);
          return;
        }
        ctx.channel().attr(ADMITTED).set((HttpAdmission.ReadBody) admission);
      }
    }
    ctx.fireChannelRead(msg);
  }

  /** Answers, then closes: what the client sends meanwhile, its body included, is dropped. */
  private void refuse(ChannelHandlerContext ctx, HttpRequest head, HttpAdmission.Answer answer) {
    ReferenceCountUtil.release(head);
    discarding = true;
    FullHttpResponse response = Responses.of(answer.response());
    Responses.secure(response);
    HttpUtil.setContentLength(response, response.content().readableBytes());
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    HttpAdmission.ReadBody admitted = ctx.channel().attr(ADMITTED).getAndSet(null);
    if (admitted != null) {
      admitted.close();
    }
    super.channelInactive(ctx);
  }
}

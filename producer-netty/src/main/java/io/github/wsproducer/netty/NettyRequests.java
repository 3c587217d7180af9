package io.github.wsproducer.netty;

import io.github.wsproducer.spi.Handshake;
import io.github.wsproducer.spi.Headers;
import io.github.wsproducer.spi.HttpRequest;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Netty's requests as the hub's SPI sees them, and the checks every handler makes alike. */
final class NettyRequests {
  private static final byte[] NO_BODY = {};

  private NettyRequests() {}

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

  /** The handshake for the endpoint to decide. */
  static Handshake handshake(
      ChannelHandlerContext ctx,
      io.netty.handler.codec.http.HttpRequest request,
      QueryStringDecoder uri) {
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

    Map<String, List<String>> byName() {
      Headers byName = new Headers();
      for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
          it.hasNext(); ) {
        Map.Entry<CharSequence, CharSequence> header = it.next();
        byName.add(header.getKey(), header.getValue().toString());
      }
      return byName.byName();
    }

    String query() {
      return uri.rawQuery().isEmpty() ? null : uri.rawQuery();
    }
  }
}

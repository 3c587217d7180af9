package io.github.wsproducer.netty;

import io.github.wsproducer.spi.Endpoint;
import io.github.wsproducer.spi.HttpConnections;
import io.github.wsproducer.spi.TransportOptions;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import java.util.List;
import java.util.function.Consumer;

/**
 * The pipeline of each new connection, in order: the HTTP codec; {@link HttpGate} (connections per
 * address, the request deadline); {@link BodyAdmission} (a body's admission from its head); the
 * {@link Aggregator}; the compression handshake when deflate is on; {@link HttpHandler}, which
 * answers or upgrades, replacing itself with a {@link NettyConnection}.
 */
final class HttpPipeline implements Consumer<SocketChannel> {
  private final Endpoint endpoint;
  private final List<StaticFiles> files;
  private final WebSocketServerHandshakerFactory handshakers;
  private final HttpConnections http;
  private final long timeoutNanos;

  HttpPipeline(Endpoint endpoint, List<StaticFiles> files) {
    TransportOptions options = endpoint.options();
    this.endpoint = endpoint;
    this.files = files;
    this.handshakers =
        new WebSocketServerHandshakerFactory(
            "/", // Netty only reports it; the hub has checked the request's path
            null, // the hub chose the subprotocol: see HttpHandler.upgrade
            WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength((int) options.maxMessageSize())
                .allowExtensions(options.deflate())
                .closeOnProtocolViolation(false) // NettyConnection closes
                .withUTF8Validator(true)
                .build());
    this.http = new HttpConnections(options.maxConnectionsPerAddress());
    this.timeoutNanos = options.handshakeTimeout().toNanos();
  }

  @Override
  public void accept(SocketChannel ch) {
    ChannelPipeline p = ch.pipeline();
    p.addLast(new HttpServerCodec());
    p.addLast(new HttpGate(http, timeoutNanos));
    p.addLast(new BodyAdmission(endpoint));
    p.addLast(new Aggregator(endpoint));
    if (endpoint.options().deflate()) {
      p.addLast(new WebSocketServerCompressionHandler((int) endpoint.options().maxMessageSize()));
    }
    p.addLast(new HttpHandler(endpoint, files, handshakers));
  }
}

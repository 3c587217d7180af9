/**
 * For transport implementers: how a WebSocket (or SSE, or test) adapter plugs a client connection
 * into a {@link io.github.wsproducer.Hub}. Application code does not need it.
 */
package io.github.wsproducer.spi;

/**
 * For transport and replication modules, not for applications.
 *
 * <ul>
 *   <li>A transport gets an {@link io.github.wsproducer.spi.Endpoint} for a hub and its {@link
 *       io.github.wsproducer.spi.TransportOptions}; for each upgrade request it asks the endpoint
 *       to {@link io.github.wsproducer.spi.Endpoint#decide decide}, and for each accepted
 *       connection it implements an {@link io.github.wsproducer.spi.Outbound} (the hub writes to
 *       the client) and feeds the returned {@link io.github.wsproducer.spi.Inbound} (the client's
 *       messages go to the hub).
 *   <li>A replication module feeds values at positions a replicated log assigned through a {@link
 *       io.github.wsproducer.spi.Replica}.
 * </ul>
 */
package io.github.wsproducer.spi;

/**
 * Wire protocol v1, in one place: the subprotocol, the messages both ways, error and close codes,
 * and the plain form's paths. {@code docs/protocol.md} is the normative description; transports and
 * clients take their constants from here.
 */
package io.github.wsproducer.protocol;

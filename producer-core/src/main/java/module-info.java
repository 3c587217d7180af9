/**
 * wsproducer core: update sources, topic states, the hub that fans updates out, and the wire codec.
 * Transport-neutral; {@code io.github.wsproducer.spi} is for transport implementers.
 */
module io.github.wsproducer {
  requires transitive tools.jackson.databind;
  requires org.slf4j;

  exports io.github.wsproducer;
  exports io.github.wsproducer.spi;
}

/**
 * wsproducer core: update sources, topic states, the hub that fans updates out, and wire protocol
 * v1. Transport-neutral: {@code io.github.wsproducer.spi} is for transport and replication modules,
 * {@code io.github.wsproducer.protocol} for them and for clients.
 */
@SuppressWarnings("module") // the modules named in qualified exports are built later
module io.github.wsproducer {
  requires transitive tools.jackson.databind;
  requires org.slf4j;

  exports io.github.wsproducer;
  exports io.github.wsproducer.protocol;
  exports io.github.wsproducer.spi;
  // Shared with the library's own modules only: threads, backoff.
  exports io.github.wsproducer.internal to
      io.github.wsproducer.jakarta,
      io.github.wsproducer.jdbc,
      io.github.wsproducer.micrometer,
      io.github.wsproducer.redis,
      io.github.wsproducer.screens;
}

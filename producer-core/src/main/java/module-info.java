/**
 * wsproducer core: update sources, topic states, the hub that fans updates out, and wire protocol
 * v1. Transport-neutral: {@code io.github.wsproducer.spi} is for transport and replication modules,
 * {@code io.github.wsproducer.protocol} for them and for clients.
 */
module io.github.wsproducer {
  requires transitive tools.jackson.databind;
  requires org.slf4j;

  exports io.github.wsproducer;
  exports io.github.wsproducer.protocol;
  exports io.github.wsproducer.spi;

  // Files of the modules on the class path, such as the screen kit's pages.
  uses io.github.wsproducer.spi.WebResources.Provider;

  // The kinds of sources configuration declares (sql, http, ...), offered by their modules.
  uses io.github.wsproducer.spi.SourceFactory;
}

/**
 * The wall-screen kit: screens declared in Java or in a watched YAML or JSON file, published to the
 * pages every transport serves at {@code /screens/{name}}.
 */
module io.github.wsproducer.screens {
  requires transitive io.github.wsproducer;
  requires tools.jackson.dataformat.yaml;
  requires org.slf4j;

  exports io.github.wsproducer.screens;

  // The kit's pages and assets, which every transport serves.
  provides io.github.wsproducer.spi.WebResources.Provider with
      io.github.wsproducer.screens.KitFiles;

  // Jackson reads screen files into the records.
  opens io.github.wsproducer.screens to
      tools.jackson.databind;
}

/** Micrometer meters for a wsproducer hub ({@link io.github.wsproducer.micrometer.HubMetrics}). */
module io.github.wsproducer.micrometer {
  requires transitive io.github.wsproducer;
  requires transitive micrometer.core;

  exports io.github.wsproducer.micrometer;
}

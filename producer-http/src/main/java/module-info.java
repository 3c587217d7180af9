/**
 * Update sources that poll HTTP APIs with the JDK's client: any JSON API, mapped with JSON Pointers
 * ({@link io.github.wsproducer.http.HttpJsonSource}), and Prometheus queries ({@link
 * io.github.wsproducer.http.PrometheusSource}); declared in configuration as {@code http} and
 * {@code prometheus}.
 */
module io.github.wsproducer.http {
  requires transitive io.github.wsproducer;
  requires java.net.http;

  exports io.github.wsproducer.http;

  provides io.github.wsproducer.spi.SourceFactory with
      io.github.wsproducer.http.HttpSourceFactories.Http,
      io.github.wsproducer.http.HttpSourceFactories.Prometheus;
}

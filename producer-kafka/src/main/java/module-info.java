/**
 * Update sources from Kafka: consumer lag with a Burrow-style status ({@link
 * io.github.wsproducer.kafka.KafkaLagSource}) and a topic's JSON records ({@link
 * io.github.wsproducer.kafka.KafkaTopicSource}); declared in configuration as {@code kafka-lag} and
 * {@code kafka-topic}.
 */
module io.github.wsproducer.kafka {
  requires transitive io.github.wsproducer;
  requires kafka.clients;
  requires org.slf4j;

  exports io.github.wsproducer.kafka;

  provides io.github.wsproducer.spi.SourceFactory with
      io.github.wsproducer.kafka.KafkaSourceFactories.Lag,
      io.github.wsproducer.kafka.KafkaSourceFactories.Tail;
}

package io.github.wsproducer.internal;

import io.github.wsproducer.spi.Replica;

/** The {@link Replica} side of a hub. */
final class HubReplica implements Replica {
  private final HubImpl hub;

  HubReplica(HubImpl hub) {
    this.hub = hub;
  }

  @Override
  public String encode(String topic, Object value) {
    return hub.encode(topic, value);
  }

  @Override
  public void apply(String topic, long epoch, long seq, String json, boolean whole) {
    hub.applyAt(topic, epoch, seq, json, whole);
  }
}

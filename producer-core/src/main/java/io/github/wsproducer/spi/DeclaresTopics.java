package io.github.wsproducer.spi;

import java.util.List;

/**
 * A source that brings topics of its own, each with its source, such as the screen kit reading a
 * {@code topics:} section: a hub given it ({@link io.github.wsproducer.Hub.Builder#source}) adds
 * those topics and starts and closes their sources as its own.
 */
public interface DeclaresTopics {

  /**
   * The topics to add, asked once when the hub is built.
   *
   * @throws IllegalArgumentException naming where a declaration is wrong; the hub is not built
   */
  List<DeclaredTopic> declaredTopics();
}

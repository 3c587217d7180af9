package io.github.wsproducer.spi;

import io.github.wsproducer.State;
import io.github.wsproducer.UpdateSource;

/**
 * Makes the sources of one kind that configuration declares, such as {@code http} or {@code sql} in
 * a screen file's {@code topics:} section or in Spring properties ({@link DeclaredTopic}). A module
 * offers its kinds with {@link java.util.ServiceLoader}: {@code provides
 * io.github.wsproducer.spi.SourceFactory with ...} in its {@code module-info.java}, and a {@code
 * META-INF/services} file for the class path.
 */
public interface SourceFactory {

  /** The key that declares a source of this kind, such as {@code http}. */
  String kind();

  /**
   * The state of a declared topic that does not name one: for example {@code keyed} when the
   * settings name a key.
   */
  State state(SourceSettings settings);

  /**
   * A source publishing on {@code settings.topic()}, not started. Reads every setting it knows; the
   * caller refuses the ones nobody read.
   *
   * @throws IllegalArgumentException made by {@link SourceSettings#problem}, naming where the
   *     setting is written and what is wrong
   */
  UpdateSource create(SourceSettings settings);
}

/**
 * Keeps wsproducer topics' history and state on disk, in H2's MVStore: a hub given a {@link
 * io.github.wsproducer.history.DiskHistory} restarts with every topic's state, {@code epoch} and
 * {@code seq}, and serves its charts' history.
 */
module io.github.wsproducer.history {
  requires transitive io.github.wsproducer;
  requires com.h2database.mvstore;
  requires org.slf4j;

  exports io.github.wsproducer.history;
}

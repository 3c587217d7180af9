/**
 * Database-backed update sources for wsproducer: a shared poll ({@code QuerySource}), a table tail
 * ({@code TableTailSource}), and PostgreSQL LISTEN/NOTIFY wake-ups ({@code PgNotifyListener}).
 * Works with any JDBC {@code DataSource}; the PostgreSQL driver is needed only for {@code
 * PgNotifyListener}. Declared in configuration as {@code sql}.
 */
module io.github.wsproducer.jdbc {
  requires transitive io.github.wsproducer;
  requires transitive java.sql;
  requires static org.postgresql.jdbc;
  requires org.slf4j;

  exports io.github.wsproducer.jdbc;

  provides io.github.wsproducer.spi.SourceFactory with
      io.github.wsproducer.jdbc.internal.SqlSourceFactory;
}

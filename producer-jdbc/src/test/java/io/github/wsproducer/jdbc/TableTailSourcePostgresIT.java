package io.github.wsproducer.jdbc;

/** The table tail against the real PostgreSQL. */
class TableTailSourcePostgresIT extends TableTailContract {
  @Override
  Database database() {
    return Database.postgres();
  }
}

package io.github.wsproducer.jdbc;

/** The table tail against an in-memory H2 database. */
class TableTailSourceTest extends TableTailContract {
  @Override
  Database database() {
    return Database.h2();
  }
}

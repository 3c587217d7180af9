package io.github.wsproducer.jdbc;

/** The shared poll against an in-memory H2 database. */
class QuerySourceTest extends QuerySourceContract {
  @Override
  Database database() {
    return Database.h2();
  }
}

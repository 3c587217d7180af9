package io.github.wsproducer.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Turns the current row into the value a {@link TableTailSource} publishes. Called on the source's
 * thread; must not move the cursor.
 */
@FunctionalInterface
public interface RowMapper {

  /** Maps the current row. */
  Object map(ResultSet row) throws SQLException;

  /**
   * The default: an object with one field per column, named by the column label in lower case
   * (databases differ in the case they report), with SQL dates and times as ISO-8601 strings.
   */
  static RowMapper columns() {
    return Rows::columns;
  }
}

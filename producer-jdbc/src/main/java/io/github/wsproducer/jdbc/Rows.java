package io.github.wsproducer.jdbc;

import java.sql.Clob;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The default column mapping shared by {@link RowMapper} and {@link ResultMapper}. */
final class Rows {
  private Rows() {}

  static Map<String, Object> columns(ResultSet row) throws SQLException {
    ResultSetMetaData meta = row.getMetaData();
    Map<String, Object> columns = new LinkedHashMap<>();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      columns.put(meta.getColumnLabel(i).toLowerCase(Locale.ROOT), value(row.getObject(i)));
    }
    return columns;
  }

  private static Object value(Object v) throws SQLException {
    if (v instanceof Timestamp t) {
      return t.toLocalDateTime().toString();
    } else if (v instanceof java.sql.Date d) {
      return d.toLocalDate().toString();
    } else if (v instanceof Time t) {
      return t.toLocalTime().toString();
    } else if (v instanceof java.time.temporal.TemporalAccessor t) {
      return t.toString();
    } else if (v instanceof Clob c) {
      return c.getSubString(1, (int) Math.min(Integer.MAX_VALUE, c.length()));
    } else if (v instanceof byte[] bytes) {
      return Base64.getEncoder().encodeToString(bytes); // as JSON has it; compares by value
    }
    return v;
  }
}

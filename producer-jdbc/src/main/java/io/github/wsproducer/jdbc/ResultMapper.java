package io.github.wsproducer.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a query's whole result into the value a {@link QuerySource} publishes (anything Jackson can
 * serialize). Called on the source's thread with the cursor before the first row. The source
 * compares each result with the last one by {@code equals}, so return values that compare by value:
 * maps, lists, records, strings and numbers, as the mappers here do.
 *
 * <pre>{@code
 * ResultMapper.rows()             // [{"name":"orders","lag_ms":12}, ...]
 * ResultMapper.firstRow()         // {"name":"orders","lag_ms":12}, or null without rows
 * ResultMapper.keyedBy("name")    // {"orders":{"lag_ms":12}, ...}, for State.keyed()
 * rs -> { rs.next(); return Map.of("open", rs.getInt(1)); }
 * }</pre>
 */
@FunctionalInterface
public interface ResultMapper {

  /** Maps the result; must not close it. */
  Object map(ResultSet result) throws SQLException;

  /** Every row as an object of its columns ({@link RowMapper#columns()}), in a list. */
  static ResultMapper rows() {
    return result -> {
      List<Map<String, Object>> rows = new ArrayList<>();
      while (result.next()) {
        rows.add(Rows.columns(result));
      }
      return rows;
    };
  }

  /** The first row as an object of its columns, or {@code null} when there is none. */
  static ResultMapper firstRow() {
    return result -> result.next() ? Rows.columns(result) : null;
  }

  /**
   * An object with one field per row, named by the value of {@code keyColumn} and holding the row's
   * other columns: the natural input of {@code State.keyed()}.
   */
  static ResultMapper keyedBy(String keyColumn) {
    String key = keyColumn.toLowerCase(java.util.Locale.ROOT);
    return result -> {
      Map<String, Object> keyed = new LinkedHashMap<>();
      while (result.next()) {
        Map<String, Object> row = Rows.columns(result);
        if (!row.containsKey(key)) {
          throw new SQLException(
              "the result has no column \"" + keyColumn + "\"; it has " + row.keySet());
        }
        keyed.put(String.valueOf(row.remove(key)), row);
      }
      return keyed;
    };
  }
}

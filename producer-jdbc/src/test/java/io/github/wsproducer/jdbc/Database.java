package io.github.wsproducer.jdbc;

import io.github.wsproducer.testkit.Services;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** A real database for a test: an in-memory H2, or the PostgreSQL of this machine. */
record Database(String name, DataSource dataSource) {

  static Database h2() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    return new Database("H2", ds);
  }

  static Database postgres() {
    return new Database("PostgreSQL", postgres(Services.postgresUrl()));
  }

  static PGSimpleDataSource postgres(String url) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(url);
    ds.setUser("postgres");
    return ds;
  }

  /** A table name no other test uses. */
  static String uniqueName(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  void execute(String... statements) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  @Override
  public String toString() {
    return name;
  }
}

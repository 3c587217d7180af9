package io.github.wsproducer.spring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;
import org.springframework.util.unit.DataSize;

/**
 * The {@code wsproducer.*} properties. Defaults are those of every transport ({@link
 * io.github.wsproducer.spi.TransportOptions#DEFAULTS}). An unknown property under {@code
 * wsproducer} fails startup, so that a misspelt limit is not silently left at its default.
 */
@ConfigurationProperties(prefix = "wsproducer", ignoreUnknownFields = false)
public class WsProducerProperties {

  /** Whether the hub is set up at all. */
  private boolean enabled = true;

  /**
   * The path the hub is served under, within the servlet context: its sockets, /wsproducer.js, the
   * screens and the push API. "/live" serves the envelope form at /live/ and the screens at
   * /live/screens/NAME; other paths stay the application's.
   */
  private String path = "/";

  /**
   * Browser origins accepted besides the application's own, matched exactly (scheme://host[:port]);
   * "null" admits pages opened from disk.
   */
  private List<String> allowedOrigins = new ArrayList<>();

  /**
   * Host names requests may be addressed to besides localhost, IP addresses and this machine's own
   * name, as behind a reverse proxy.
   */
  private List<String> allowedHosts = new ArrayList<>();

  /** The largest client message; larger ones close the connection with 1009. */
  private DataSize maxMessageSize = DataSize.ofKilobytes(64);

  /** A connection with no traffic either way for this long is closed. */
  private Duration idleTimeout = Duration.ofSeconds(60);

  /** How often every connection is pinged; 0 for never. */
  private Duration pingInterval = Duration.ofSeconds(15);

  /** A connection that does not answer a ping within this is closed with 4002. */
  private Duration pongTimeout = Duration.ofSeconds(30);

  /**
   * Byte cap of the frames queued per connection; over it the connection skips ahead to a fresh
   * snapshot.
   */
  private DataSize maxQueuedBytes = DataSize.ofMegabytes(1);

  /** A connection whose write does not finish within this is closed with 4001. */
  private Duration writeTimeout = Duration.ofSeconds(30);

  /** Whether permessage-deflate is negotiated when a client offers it. */
  private boolean deflate = false;

  /** Open connections beyond which handshakes get 503 with Retry-After. */
  private int maxConnections = 10_000;

  /** Open connections from one client address beyond which its handshakes get 503. */
  private int maxConnectionsPerAddress = 1_000;

  /**
   * The topic a plain connection at "/" subscribes to; by default the first topic: the first Topic
   * bean, else the first of {@code wsproducer.topics}.
   */
  private String defaultTopic;

  /**
   * A screens file (YAML) for the wall-screen kit, served at /screens/NAME. A file: location is
   * watched, and edits reach open screens within seconds.
   */
  private Resource screens;

  /**
   * Topics with their sources, by topic name: fed by SQL on the application's DataSource (query or
   * table), or by a source another module offers, named by its kind with the settings a screens
   * file's topics: section has (http=URL, prometheus=QUERY, kafka-lag=GROUPS, ...).
   */
  private Map<String, Map<String, Object>> topics = new LinkedHashMap<>();

  /** Where the topics' history is kept; in memory unless a directory is set. */
  private final History history = new History();

  /** {@code wsproducer.history}: the topics' history on disk, with {@code producer-history}. */
  public static class History {
    /**
     * A directory of the application's own where every topic's history and state are kept, so that
     * a restart, even kill -9, resumes where it stopped; in memory, lost on restart, if unset.
     */
    private Path directory;

    /** Time between background commits to disk: what kill -9 may lose. */
    private Duration commitInterval = Duration.ofMillis(200);

    public Path getDirectory() {
      return directory;
    }

    public void setDirectory(Path directory) {
      this.directory = directory;
    }

    public Duration getCommitInterval() {
      return commitInterval;
    }

    public void setCommitInterval(Duration commitInterval) {
      this.commitInterval = commitInterval;
    }
  }

  public History getHistory() {
    return history;
  }

  /**
   * A topic fed by SQL: either {@code query} (a shared poll, published when its result changes) or
   * {@code table} (new rows of a table, by increasing id). Bound from {@code
   * wsproducer.topics.NAME} for the topics that have either, refusing keys it lacks.
   */
  public static class SqlTopic {
    /** A query without parameters, polled on the interval; its result is the topic's value. */
    private String query;

    /**
     * With query: a column whose value keys each row; the topic then holds one entry per key and
     * screens update rows in place.
     */
    private String key;

    /** With query: publish the first row alone, as an object, instead of a list of rows. */
    private boolean firstRow = false;

    /** A table whose new rows are published, in order of id-column. */
    private String table;

    /** With table: the increasing id column. */
    private String idColumn = "id";

    /** With table: the columns published, comma-separated; all by default. */
    private String columns;

    /** With table: how many of the latest rows a screen gets when it connects. */
    private int window = 50;

    /** Time between polls while the database answers; 2 s for a query, 1 s for a table. */
    private Duration interval;

    /** How long the topic may go without news before screens mark it stale; never if unset. */
    private Duration staleAfter;

    /** A message screens show when the database fails, after its category. */
    private String errorMessage;

    /** How long the topic's updates are kept for charts and export; an hour if unset. */
    private Duration retention;

    /** The most of the topic's updates kept; 1 MB if unset. */
    private DataSize retentionBytes;

    public Duration getRetention() {
      return retention;
    }

    public void setRetention(Duration retention) {
      this.retention = retention;
    }

    public DataSize getRetentionBytes() {
      return retentionBytes;
    }

    public void setRetentionBytes(DataSize retentionBytes) {
      this.retentionBytes = retentionBytes;
    }

    public String getQuery() {
      return query;
    }

    public void setQuery(String query) {
      this.query = query;
    }

    public String getKey() {
      return key;
    }

    public void setKey(String key) {
      this.key = key;
    }

    public boolean isFirstRow() {
      return firstRow;
    }

    public void setFirstRow(boolean firstRow) {
      this.firstRow = firstRow;
    }

    public String getTable() {
      return table;
    }

    public void setTable(String table) {
      this.table = table;
    }

    public String getIdColumn() {
      return idColumn;
    }

    public void setIdColumn(String idColumn) {
      this.idColumn = idColumn;
    }

    public String getColumns() {
      return columns;
    }

    public void setColumns(String columns) {
      this.columns = columns;
    }

    public int getWindow() {
      return window;
    }

    public void setWindow(int window) {
      this.window = window;
    }

    public Duration getInterval() {
      return interval;
    }

    public void setInterval(Duration interval) {
      this.interval = interval;
    }

    public Duration getStaleAfter() {
      return staleAfter;
    }

    public void setStaleAfter(Duration staleAfter) {
      this.staleAfter = staleAfter;
    }

    public String getErrorMessage() {
      return errorMessage;
    }

    public void setErrorMessage(String errorMessage) {
      this.errorMessage = errorMessage;
    }
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public List<String> getAllowedOrigins() {
    return allowedOrigins;
  }

  public void setAllowedOrigins(List<String> allowedOrigins) {
    this.allowedOrigins = allowedOrigins;
  }

  public List<String> getAllowedHosts() {
    return allowedHosts;
  }

  public void setAllowedHosts(List<String> allowedHosts) {
    this.allowedHosts = allowedHosts;
  }

  public DataSize getMaxMessageSize() {
    return maxMessageSize;
  }

  public void setMaxMessageSize(DataSize maxMessageSize) {
    this.maxMessageSize = maxMessageSize;
  }

  public Duration getIdleTimeout() {
    return idleTimeout;
  }

  public void setIdleTimeout(Duration idleTimeout) {
    this.idleTimeout = idleTimeout;
  }

  public Duration getPingInterval() {
    return pingInterval;
  }

  public void setPingInterval(Duration pingInterval) {
    this.pingInterval = pingInterval;
  }

  public Duration getPongTimeout() {
    return pongTimeout;
  }

  public void setPongTimeout(Duration pongTimeout) {
    this.pongTimeout = pongTimeout;
  }

  public DataSize getMaxQueuedBytes() {
    return maxQueuedBytes;
  }

  public void setMaxQueuedBytes(DataSize maxQueuedBytes) {
    this.maxQueuedBytes = maxQueuedBytes;
  }

  public Duration getWriteTimeout() {
    return writeTimeout;
  }

  public void setWriteTimeout(Duration writeTimeout) {
    this.writeTimeout = writeTimeout;
  }

  public boolean isDeflate() {
    return deflate;
  }

  public void setDeflate(boolean deflate) {
    this.deflate = deflate;
  }

  public int getMaxConnections() {
    return maxConnections;
  }

  public void setMaxConnections(int maxConnections) {
    this.maxConnections = maxConnections;
  }

  public int getMaxConnectionsPerAddress() {
    return maxConnectionsPerAddress;
  }

  public void setMaxConnectionsPerAddress(int maxConnectionsPerAddress) {
    this.maxConnectionsPerAddress = maxConnectionsPerAddress;
  }

  public String getDefaultTopic() {
    return defaultTopic;
  }

  public void setDefaultTopic(String defaultTopic) {
    this.defaultTopic = defaultTopic;
  }

  public Resource getScreens() {
    return screens;
  }

  public void setScreens(Resource screens) {
    this.screens = screens;
  }

  public Map<String, Map<String, Object>> getTopics() {
    return topics;
  }

  public void setTopics(Map<String, Map<String, Object>> topics) {
    this.topics = topics;
  }
}

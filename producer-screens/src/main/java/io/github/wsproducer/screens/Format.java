package io.github.wsproducer.screens;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a number is written, with the screen's locale's separators. */
public enum Format {
  /** 12,345 */
  @JsonProperty("integer")
  INTEGER,
  /** 12,345.7 (at most one decimal under 100, none above) */
  @JsonProperty("decimal")
  DECIMAL,
  /** 0.123 as 12.3 % */
  @JsonProperty("percent")
  PERCENT,
  /** 1536 as 1.5 KB */
  @JsonProperty("bytes")
  BYTES,
  /** milliseconds as 2 h 5 min */
  @JsonProperty("duration")
  DURATION,
  /** a time (milliseconds since the epoch, or ISO 8601 text) as "3 min ago" */
  @JsonProperty("relative-time")
  RELATIVE_TIME
}

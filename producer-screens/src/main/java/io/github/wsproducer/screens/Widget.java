package io.github.wsproducer.screens;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a tile shows its value; the names are those of screen files. */
public enum Widget {
  /** A number, with its change over a period and the direction of that change. */
  @JsonProperty("number")
  NUMBER,
  /** A number between a minimum and a maximum, as an arc. */
  @JsonProperty("gauge")
  GAUGE,
  /** A field over time, or the per-second rate of a counter, with its current value. */
  @JsonProperty("timeseries")
  TIME_SERIES,
  /** A keyed topic: a row per key, chosen columns. */
  @JsonProperty("table")
  TABLE,
  /** A window topic: newest first, as many rows as fit, never a row cut. */
  @JsonProperty("events")
  EVENTS,
  /** ok, warn or critical, from a field. */
  @JsonProperty("status")
  STATUS,
  /** Fixed text, or a field shown as text. */
  @JsonProperty("text")
  TEXT,
  /** The time and date. */
  @JsonProperty("clock")
  CLOCK,
  /** The hub's current alarms, on every screen: the most severe, then the oldest, first. */
  @JsonProperty("alarms")
  ALARMS;

  /** Whether the widget shows a topic's data, and so needs a topic. */
  boolean needsTopic() {
    return this != CLOCK && this != TEXT && this != ALARMS;
  }
}

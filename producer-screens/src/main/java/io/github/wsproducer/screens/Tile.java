package io.github.wsproducer.screens;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.wsproducer.Topic;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One tile of a screen: a widget showing a topic, or a field of it.
 *
 * <p>Made by the factories ({@link #number}, {@link #timeSeries}, ...) and refined by the methods
 * that return a changed copy; in a screen file, the same names as keys:
 *
 * <pre>{@code
 * Tile.number("Orders per minute", "totals", "orders.rate").unit("/min").warnAbove(500)
 * }</pre>
 *
 * @param widget how the value is shown
 * @param title the tile's title
 * @param topic the topic shown; none for a clock or a fixed text
 * @param path the field shown, as dotted names and indexes ({@code orders.rate}, {@code
 *     streams.0.lag}); {@code null} for the whole value
 * @param unit written after the value
 * @param format how numbers are written; {@code null} for integer or decimal as the value is
 * @param warn the value at which the tile turns amber
 * @param critical the value at which the tile turns red
 * @param below whether {@code warn} and {@code critical} are floors (a value at or below them)
 *     rather than ceilings
 * @param clear how long the value must stay back from its thresholds before its alarm clears,
 *     {@code 30s} by default, so that a value hovering at a threshold does not raise a new alarm
 *     each time it crosses
 * @param change for a number: the period its change is shown over, such as {@code 1h}
 * @param min a gauge's minimum, 0 by default
 * @param max a gauge's maximum, 100 by default
 * @param rate for a time series: plot the per-second rate of a counter, not its value
 * @param span for a time series: the period shown, {@code 10m} by default
 * @param columns for a table or events: the fields shown, in order; all by default
 * @param labels for a table or events: the headings of columns by field, such as {@code lag_ms:
 *     Lag}; the field's name by default
 * @param text for a text: the words shown when it has no topic
 * @param width grid columns the tile spans, 1 to 12
 * @param height grid rows the tile spans, 1 to 12
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record Tile(
    Widget widget,
    String title,
    String topic,
    String path,
    String unit,
    Format format,
    Double warn,
    Double critical,
    boolean below,
    String clear,
    String change,
    Double min,
    Double max,
    boolean rate,
    String span,
    List<String> columns,
    Map<String, String> labels,
    String text,
    int width,
    int height) {

  /**
   * Checks the tile as a whole.
   *
   * @throws IllegalArgumentException naming what does not fit
   */
  public Tile {
    Objects.requireNonNull(widget, "widget");
    title = title == null ? "" : title;
    if (widget.needsTopic()) {
      if (topic == null) {
        throw new IllegalArgumentException("a " + name(widget) + " tile needs a topic");
      }
      Topic.requireValidName(topic);
    } else if (widget == Widget.TEXT && topic == null && text == null) {
      throw new IllegalArgumentException("a text tile needs a text or a topic");
    }
    if (path != null && !path.matches("[A-Za-z0-9_$-]+(\\.[A-Za-z0-9_$-]+)*")) {
      throw new IllegalArgumentException(
          "path must be dotted names and indexes such as orders.rate, was \"" + path + "\"");
    }
    if (warn != null && critical != null && (below ? warn < critical : warn > critical)) {
      throw new IllegalArgumentException(
          "warn ("
              + warn
              + ") must come before critical ("
              + critical
              + ") as the value "
              + (below ? "falls" : "rises"));
    }
    Durations.check("clear", clear);
    Durations.check("change", change);
    Durations.check("span", span);
    if (min != null && max != null && min >= max) {
      throw new IllegalArgumentException("min (" + min + ") must be below max (" + max + ")");
    }
    columns = columns == null ? null : List.copyOf(columns);
    labels = labels == null ? null : Map.copyOf(labels);
    width = span("width", width);
    height = span("height", height);
  }

  private static int span(String what, int cells) {
    if (cells == 0) {
      return 1;
    }
    if (cells < 1 || cells > 12) {
      throw new IllegalArgumentException(what + " must be 1 to 12 grid cells, was " + cells);
    }
    return cells;
  }

  private static String name(Widget widget) {
    return widget.name().toLowerCase(java.util.Locale.ROOT).replace("_", " ");
  }

  private static Tile of(Widget widget, String title, String topic, String path) {
    return of(widget, title, topic, path, null);
  }

  private static Tile of(Widget widget, String title, String topic, String path, String text) {
    return new Tile(
        widget, title, topic, path, null, null, null, null, false, null, null, null, null, false,
        null, null, null, text, 1, 1);
  }

  /** A number: a field of a topic, or its whole value. */
  public static Tile number(String title, String topic, String path) {
    return of(Widget.NUMBER, title, topic, path);
  }

  /** A gauge from 0 to 100 unless {@link #range} says otherwise. */
  public static Tile gauge(String title, String topic, String path) {
    return of(Widget.GAUGE, title, topic, path);
  }

  /** A field over time; {@link #perSecond()} plots a counter's per-second rate instead. */
  public static Tile timeSeries(String title, String topic, String path) {
    return of(Widget.TIME_SERIES, title, topic, path);
  }

  /** A keyed topic as a table: a row per key, these fields as columns (all when none). */
  public static Tile table(String title, String topic, String... columns) {
    return of(Widget.TABLE, title, topic, null).columns(columns);
  }

  /** A window topic's events, newest first: these fields of each (all when none). */
  public static Tile events(String title, String topic, String... columns) {
    return of(Widget.EVENTS, title, topic, null).columns(columns);
  }

  /**
   * ok, warn or critical: a field whose text is one of those, or a number against {@link
   * #warnAbove} and {@link #criticalAbove} (or below).
   */
  public static Tile status(String title, String topic, String path) {
    return of(Widget.STATUS, title, topic, path);
  }

  /** Fixed words. */
  public static Tile text(String title, String text) {
    return of(Widget.TEXT, title, null, null, text);
  }

  /** The hub's current alarms, on every screen ({@code docs/screens.md#alarms}). */
  public static Tile alarms(String title) {
    return of(Widget.ALARMS, title, null, null);
  }

  /** The time and date, in the screen's locale. */
  public static Tile clock(String title) {
    return of(Widget.CLOCK, title, null, null);
  }

  /** Written after the value, such as {@code /s} or {@code ms}. */
  public Tile unit(String unit) {
    return with(t -> t.unit = unit);
  }

  public Tile format(Format format) {
    return with(t -> t.format = format);
  }

  /** Amber at or above {@code value}. */
  public Tile warnAbove(double value) {
    return with(
        t -> {
          t.warn = value;
          t.below = false;
        });
  }

  /** Red at or above {@code value}. */
  public Tile criticalAbove(double value) {
    return with(
        t -> {
          t.critical = value;
          t.below = false;
        });
  }

  /** Amber at or below {@code value}. */
  public Tile warnBelow(double value) {
    return with(
        t -> {
          t.warn = value;
          t.below = true;
        });
  }

  /** Red at or below {@code value}. */
  public Tile criticalBelow(double value) {
    return with(
        t -> {
          t.critical = value;
          t.below = true;
        });
  }

  /** Clears this tile's alarm once its value has been back for {@code period}; 30 s by default. */
  public Tile clearAfter(String period) {
    return with(t -> t.clear = period);
  }

  /** Shows the change over {@code period}, such as {@code "1h"} or {@code "15m"}. */
  public Tile change(String period) {
    return with(t -> t.change = period);
  }

  /** A gauge's range. */
  public Tile range(double min, double max) {
    return with(
        t -> {
          t.min = min;
          t.max = max;
        });
  }

  /** Plots the per-second rate of a counter ({@code rate: true} in a file). */
  public Tile perSecond() {
    return with(t -> t.rate = true);
  }

  /** The period a time series shows, such as {@code "10m"}. */
  public Tile span(String period) {
    return with(t -> t.span = period);
  }

  public Tile columns(String... columns) {
    return with(t -> t.columns = columns.length == 0 ? null : List.of(columns));
  }

  /** Headings for columns, by field, such as {@code Map.of("lag_ms", "Lag")}. */
  public Tile labels(Map<String, String> labels) {
    return with(t -> t.labels = labels);
  }

  /** Grid cells the tile spans across and down. */
  public Tile size(int width, int height) {
    return with(
        t -> {
          t.width = width;
          t.height = height;
        });
  }

  /** A copy with {@code change} made to its components; checked again. */
  private Tile with(Consumer<Components> change) {
    Components c = new Components(this);
    change.accept(c);
    return c.tile();
  }

  /** The components of a tile, to change some and check the whole again. */
  private static final class Components {
    Widget widget;
    String title;
    String topic;
    String path;
    String unit;
    Format format;
    Double warn;
    Double critical;
    boolean below;
    String clear;
    String change;
    Double min;
    Double max;
    boolean rate;
    String span;
    List<String> columns;
    Map<String, String> labels;
    String text;
    int width;
    int height;

    Components(Tile t) {
      widget = t.widget;
      title = t.title;
      topic = t.topic;
      path = t.path;
      unit = t.unit;
      format = t.format;
      warn = t.warn;
      critical = t.critical;
      below = t.below;
      clear = t.clear;
      change = t.change;
      min = t.min;
      max = t.max;
      rate = t.rate;
      span = t.span;
      columns = t.columns;
      labels = t.labels;
      text = t.text;
      width = t.width;
      height = t.height;
    }

    Tile tile() {
      return new Tile(
          widget, title, topic, path, unit, format, warn, critical, below, clear, change, min, max,
          rate, span, columns, labels, text, width, height);
    }
  }
}

package io.github.wsproducer.screens;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A wall screen: a name (its address, {@code /screens/{name}}), a title and its tiles, laid out in
 * a grid that fills the screen.
 *
 * <pre>{@code
 * Screen ops =
 *     Screen.named("ops")
 *         .title("Data streams")
 *         .tile(Tile.number("Orders per minute", "totals", "orders.rate").warnAbove(500))
 *         .tile(Tile.events("Latest events", "events", "time", "stream", "message").size(2, 2));
 * }</pre>
 *
 * @param name the address: letters, digits, {@code -} and {@code _}
 * @param title shown at the top
 * @param columns grid columns; 0 to choose from the number of tiles and the screen's shape
 * @param locale the locale numbers and times are written in, such as {@code de-CH}; {@code null}
 *     for the browser's
 * @param theme its colours; dark when {@code null}
 * @param sound whether the screen chimes when an alarm is raised on it, until it is acknowledged
 *     (browsers play it only when allowed to play sound unprompted, as kiosk browsers are)
 * @param tiles in reading order
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record Screen(
    String name,
    String title,
    int columns,
    String locale,
    Theme theme,
    boolean sound,
    List<Tile> tiles) {

  /**
   * Checks the screen.
   *
   * @throws IllegalArgumentException naming what does not fit
   */
  public Screen {
    requireName("screen", name);
    title = title == null ? name : title;
    if (columns < 0 || columns > 12) {
      throw new IllegalArgumentException("columns must be 0 (automatic) to 12, was " + columns);
    }
    if (locale != null && !locale.matches("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")) {
      throw new IllegalArgumentException(
          "locale must be a language tag such as en-GB, was \"" + locale + "\"");
    }
    tiles = tiles == null ? List.of() : List.copyOf(tiles);
  }

  static String requireName(String what, String name) {
    Objects.requireNonNull(name, what + " name");
    if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new IllegalArgumentException(
          what + " name must be 1 to 64 letters, digits, - or _, was \"" + name + "\"");
    }
    return name;
  }

  /** An empty screen with this name as its title. */
  public static Screen named(String name) {
    return new Screen(name, null, 0, null, null, false, List.of());
  }

  public Screen title(String title) {
    return new Screen(name, title, columns, locale, theme, sound, tiles);
  }

  public Screen columns(int columns) {
    return new Screen(name, title, columns, locale, theme, sound, tiles);
  }

  public Screen locale(String locale) {
    return new Screen(name, title, columns, locale, theme, sound, tiles);
  }

  public Screen theme(Theme theme) {
    return new Screen(name, title, columns, locale, theme, sound, tiles);
  }

  /** This screen chiming when an alarm is raised on it, until the alarm is acknowledged. */
  public Screen sound(boolean sound) {
    return new Screen(name, title, columns, locale, theme, sound, tiles);
  }

  /** This screen with one more tile, after the others. */
  public Screen tile(Tile tile) {
    List<Tile> more = new ArrayList<>(tiles);
    more.add(Objects.requireNonNull(tile, "tile"));
    return new Screen(name, title, columns, locale, theme, sound, more);
  }
}

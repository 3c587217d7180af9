package io.github.wsproducer.screens;

import java.util.List;

/**
 * Screens shown in turn at {@code /screens/{name}}, each for a period.
 *
 * @param name the address, as a screen's
 * @param screens the names of the screens, in order
 * @param every how long each is shown, such as {@code 30s}
 */
public record Playlist(String name, List<String> screens, String every) {

  /**
   * Checks the playlist; {@link Screens} checks that its screens exist.
   *
   * @throws IllegalArgumentException naming what does not fit
   */
  public Playlist {
    Screen.requireName("playlist", name);
    if (screens == null || screens.isEmpty()) {
      throw new IllegalArgumentException("playlist " + name + " needs screens");
    }
    screens = List.copyOf(screens);
    every = every == null ? "30s" : every;
    if (Durations.parse("every", every).toSeconds() < 5) {
      throw new IllegalArgumentException("every must be at least 5s, was " + every);
    }
  }

  public static Playlist of(String name, String every, String... screens) {
    return new Playlist(name, List.of(screens), every);
  }
}

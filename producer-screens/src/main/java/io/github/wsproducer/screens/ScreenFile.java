package io.github.wsproducer.screens;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What a screen file holds, and what pages receive: screens and playlists. */
record ScreenFile(List<Screen> screens, List<Playlist> playlists) {

  /** Names are unique across screens and playlists; a playlist's screens exist. */
  ScreenFile {
    screens = screens == null ? List.of() : List.copyOf(screens);
    playlists = playlists == null ? List.of() : List.copyOf(playlists);
    Set<String> names = new HashSet<>();
    for (Screen s : screens) {
      if (!names.add(s.name())) {
        throw new IllegalArgumentException("two screens are named " + s.name());
      }
    }
    Set<String> screenNames = Set.copyOf(names);
    for (Playlist p : playlists) {
      if (!names.add(p.name())) {
        throw new IllegalArgumentException("a playlist has the name of a screen: " + p.name());
      }
      for (String s : p.screens()) {
        if (!screenNames.contains(s)) {
          throw new IllegalArgumentException(
              "playlist " + p.name() + " names no screen " + s + "; the screens: " + screenNames);
        }
      }
    }
  }
}

package io.github.wsproducer.screens;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * What a screen file holds: screens and playlists, which pages receive, and the topics it declares
 * with their sources ({@code topics:}), which they do not.
 */
record ScreenFile(
    List<Screen> screens,
    List<Playlist> playlists,
    @JsonProperty(access = JsonProperty.Access.WRITE_ONLY) Map<String, JsonNode> topics) {

  /** Names are unique across screens and playlists; a playlist's screens exist. */
  ScreenFile {
    screens = screens == null ? List.of() : List.copyOf(screens);
    playlists = playlists == null ? List.of() : List.copyOf(playlists);
    topics = topics == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(topics));

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

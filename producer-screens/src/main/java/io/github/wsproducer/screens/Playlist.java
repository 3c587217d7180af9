package io.github.wsproducer.screens;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Screens shown in turn at {@code /screens/{name}}, each for a period.
 *
 * @param name the address, as a screen's
 * @param screens the names of the screens, in order
 * @param every how long each is shown, such as {@code 30s}
 * @param jump whether a screen with a critical alarm is brought to the front, and for how long;
 *     {@link Jump#NONE} when {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Playlist(String name, List<String> screens, String every, Jump jump) {

  /** Whether a playlist shows a screen of its own in critical alarm ahead of its turn. */
  public enum Jump {
    /** The rotation goes on whatever happens. */
    @JsonProperty("none")
    NONE,
    /** The screen is shown while the alarm lasts, then the rotation resumes. */
    @JsonProperty("while-active")
    WHILE_ACTIVE,
    /** The screen is shown until the alarm is acknowledged or clears. */
    @JsonProperty("until-acked")
    UNTIL_ACKED
  }

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
    jump = jump == null ? Jump.NONE : jump;
    if (Durations.parse("every", every).toSeconds() < 5) {
      throw new IllegalArgumentException("every must be at least 5s, was " + every);
    }
  }

  /** These screens in turn, each for {@code every}, such as {@code "30s"}. */
  public static Playlist of(String name, String every, String... screens) {
    return new Playlist(name, List.of(screens), every, Jump.NONE);
  }

  /** This playlist, showing a screen in critical alarm ahead of its turn as {@code jump} says. */
  public Playlist jump(Jump jump) {
    return new Playlist(name, screens, every, jump);
  }
}

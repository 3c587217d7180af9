package io.github.wsproducer.screens;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The colours of a screen, for the room it hangs in; every one meets WCAG AA contrast for text. */
public enum Theme {
  /** Light text on a dark ground: for most rooms, and the default. */
  @JsonProperty("dark")
  DARK,
  /** Dark text on a light ground: for bright offices. */
  @JsonProperty("light")
  LIGHT,
  /** White and pure colours on black, with heavier borders: for the far end of a room. */
  @JsonProperty("high-contrast")
  HIGH_CONTRAST
}

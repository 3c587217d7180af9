package io.github.wsproducer.screens;

import io.github.wsproducer.Hub;
import io.github.wsproducer.TokenAuthenticator;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Adds screens with their fleet to a forked server's hub, for the fleet's floods. */
public class WithFleet implements UnaryOperator<Hub.Builder> {
  @Override
  public Hub.Builder apply(Hub.Builder hub) {
    return hub.topic(Screens.topic())
        .source(
            Screens.parse(
                    """
                    screens:
                      - name: wall
                        tiles:
                          - widget: number
                            topic: random
                            path: variable
                    """,
                    "flood")
                .withFleet(TokenAuthenticator.of(Map.of("ops", ScreensFleetIT.OPERATOR))));
  }
}

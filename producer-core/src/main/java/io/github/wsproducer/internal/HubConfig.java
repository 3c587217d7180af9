package io.github.wsproducer.internal;

import io.github.wsproducer.Authenticator;
import io.github.wsproducer.Topic;
import io.github.wsproducer.TopicAuthorizer;
import io.github.wsproducer.UpdateSource;
import io.github.wsproducer.spi.HistoryStore;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import tools.jackson.databind.json.JsonMapper;

/**
 * What {@link io.github.wsproducer.Hub.Builder} checked and hands the hub; {@code null} where the
 * builder was not given it ({@code executor}, {@code scheduler}, the authentication parts, {@code
 * history}).
 */
public record HubConfig(
    List<Topic> topics,
    List<UpdateSource> sources,
    String defaultTopic,
    Executor executor,
    ScheduledExecutorService scheduler,
    Clock clock,
    JsonMapper json,
    Authenticator authenticator,
    TopicAuthorizer authorizer,
    Authenticator pushers,
    Set<String> pushable,
    HistoryStore history) {}

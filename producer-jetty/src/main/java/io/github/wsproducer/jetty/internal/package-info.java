/** Not API: the Jetty endpoint behind {@code HubWebSocket}; may change in any release. */
package io.github.wsproducer.jetty.internal;

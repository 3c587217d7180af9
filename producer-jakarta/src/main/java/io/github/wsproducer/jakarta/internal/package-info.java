/** Not API: how the Jakarta transport meets the container. */
package io.github.wsproducer.jakarta.internal;

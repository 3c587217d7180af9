package io.github.wsproducer.internal;

/** A client's resume point: the last update it received. */
record Since(long epoch, long seq) {}

package io.github.wsproducer.redis;

/** The Redis keys of one topic; one hash tag, so one cluster slot (the scripts need that). */
record TopicKeys(String stream, String epoch, String lease) {
  static TopicKeys of(String prefix, String topic) {
    String tag = "{" + prefix + ":" + topic + "}";
    return new TopicKeys(tag + ":stream", tag + ":epoch", tag + ":lease");
  }

  String[] all() {
    return new String[] {stream, epoch, lease};
  }
}

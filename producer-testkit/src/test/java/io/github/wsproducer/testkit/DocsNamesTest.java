package io.github.wsproducer.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The names the docs give in code spans exist: {@code Hub.Builder#clock}, {@code
 * HubFilter.Builder.path}, {@code spi.Endpoint}, a {@code wsproducer.*} property or meter. A class
 * of the library's is looked up among its sources, and a member must be named in its class's
 * source; names of other libraries' classes are not checked. The changelog tells history, and is
 * left out.
 */
class DocsNamesTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Pattern CODE = Pattern.compile("`([^`\\n]+)`");
  // Class, an optional nested class, then a member after '.' or '#'.
  private static final Pattern MEMBER =
      Pattern.compile(
          "(?<![\\w.])(?:spi\\.|internal\\.)?([A-Z][A-Za-z0-9]*)(?:\\.([A-Z][A-Za-z0-9]*))?"
              + "(?:[.#]([a-z][A-Za-z0-9_]*))?\\b");
  private static final Pattern PROPERTY = Pattern.compile("^wsproducer\\.([a-z][a-z.-]*[a-z])");

  @Test
  void everyClassMemberAndPropertyTheDocsNameExists() throws IOException {
    Map<String, List<Path>> sources = librarySources();
    String properties =
        Files.readString(
            ROOT.resolve(
                "producer-spring-boot-starter/src/main/java/io/github/wsproducer/spring/"
                    + "WsProducerProperties.java"));
    // Meter names and the browser client's functions are named in these.
    String allMain =
        read(sources.values().stream().flatMap(List::stream).toList())
            + Files.readString(
                    ROOT.resolve(
                        "producer-core/src/main/resources/META-INF/resources/wsproducer/wsproducer.js"))
                .replace("function ", "\"wsproducer.");
    List<String> missing = new ArrayList<>();
    List<Path> docs = new ArrayList<>();
    docs.add(ROOT.resolve("README.md"));
    try (Stream<Path> pages = Files.walk(ROOT.resolve("docs"))) {
      pages.filter(p -> p.toString().endsWith(".md")).forEach(docs::add);
    }
    int checked = 0;
    for (Path doc : docs) {
      Matcher code = CODE.matcher(Files.readString(doc));
      while (code.find()) {
        String span = code.group(1);
        Matcher property = PROPERTY.matcher(span);
        if (property.find() && span.indexOf(' ') < 0 && !span.contains("(")) {
          checked++;
          String first = property.group(1).split("\\.")[0];
          if (!isPropertyOf(first, properties) && !allMain.contains("\"" + span)) {
            missing.add(ROOT.relativize(doc) + ": " + span);
          }
          continue;
        }
        Matcher name = MEMBER.matcher(span);
        while (name.find()) {
          List<Path> files = sources.get(name.group(1));
          if (files == null) {
            continue; // not the library's class
          }
          checked++;
          String text = read(files);
          String nested = name.group(2);
          String member = name.group(3);
          if (nested != null && !text.matches("(?s).*\\b" + nested + "\\b.*")) {
            missing.add(ROOT.relativize(doc) + ": " + span);
          } else if (member != null && !text.matches("(?s).*\\b" + member + "\\b.*")) {
            missing.add(ROOT.relativize(doc) + ": " + span);
          }
        }
      }
    }
    assertThat(checked).as("names checked").isGreaterThan(100);
    assertThat(missing).as("names in the docs that the code lacks").isEmpty();
  }

  /** A {@code wsproducer.*} property's first segment, as the starter's properties spell it. */
  private static boolean isPropertyOf(String first, String properties) {
    if (List.of("js").contains(first)) {
      return true; // the client script's name, not a property
    }
    StringBuilder camel = new StringBuilder();
    boolean up = false;
    for (char c : first.toCharArray()) {
      if (c == '-') {
        up = true;
      } else {
        camel.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return properties.matches("(?s).*\\b(set|get|is)?" + capitalized(camel.toString()) + "\\b.*")
        || properties.matches("(?s).*\\b" + camel + "\\b.*");
  }

  private static String capitalized(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /** The library's main sources by simple class name. */
  private static Map<String, List<Path>> librarySources() throws IOException {
    Map<String, List<Path>> byName = new HashMap<>();
    try (Stream<Path> files = Files.walk(ROOT)) {
      files
          .filter(p -> p.toString().endsWith(".java"))
          .filter(p -> p.toString().contains("/src/main/java/"))
          .filter(p -> !p.toString().contains("/target/"))
          .forEach(
              p ->
                  byName
                      .computeIfAbsent(
                          p.getFileName().toString().replace(".java", ""), k -> new ArrayList<>())
                      .add(p));
    }
    return byName;
  }

  private static String read(List<Path> files) throws IOException {
    StringBuilder all = new StringBuilder();
    for (Path f : files) {
      all.append(Files.readString(f));
    }
    return all.toString();
  }
}

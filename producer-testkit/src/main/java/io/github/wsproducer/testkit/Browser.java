package io.github.wsproducer.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium driven through its ChromeDriver, both from the system (Debian's {@code
 * chromium} and {@code chromedriver}); nothing is downloaded. The page gets exactly the viewport
 * asked for. Needs {@code org.seleniumhq.selenium:selenium-chrome-driver} on the test class path;
 * skips the test (see {@link Services}) where Chromium is absent.
 */
public final class Browser implements AutoCloseable {
  public final ChromeDriver driver;

  /** A browser whose page is {@code width} x {@code height} CSS pixels. */
  public Browser(int width, int height) throws Exception {
    Path chromium = Services.program("chromium");
    Path chromedriver = Services.program("chromedriver");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=" + width + "," + height,
        "--user-data-dir=" + Files.createTempDirectory("wsproducer-chromium"));
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile()).build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    // The window size includes the browser's own bars; the page gets exactly this viewport.
    driver.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
  }

  /** Runs a script in the page and returns its result. */
  public Object js(String script) {
    return driver.executeScript(script);
  }

  /** The text of the first element matching {@code selector}, or {@code null}. */
  public String text(String selector) {
    Object text =
        js(
            "const e = document.querySelector('"
                + selector
                + "'); return e ? e.textContent : null;");
    return text == null ? null : text.toString();
  }

  /** Saves a screenshot of the page as {@code target/screenshots/NAME}. */
  public Path screenshot(String name) throws Exception {
    Path target = Path.of("target", "screenshots", name);
    Files.createDirectories(target.getParent());
    Files.write(target, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    return target;
  }

  @Override
  public void close() {
    driver.quit();
  }
}

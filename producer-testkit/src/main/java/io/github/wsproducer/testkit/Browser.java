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
        "--autoplay-policy=no-user-gesture-required", // as a kiosk's, for screens that chime
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

  private static final String LEGIBILITY =
      """
      const min = 0.02 * Math.min(innerWidth, innerHeight) - 0.01;
      const problems = [];
      const name = (e) => e.tagName.toLowerCase() + (e.className && e.className.baseVal === undefined ? '.' + e.className : '')
        + ' "' + (e.textContent || '').trim().slice(0, 30) + '"';
      const root = document.documentElement;
      if (root.scrollWidth > innerWidth || root.scrollHeight > innerHeight) problems.push('the page scrolls');
      for (const e of document.querySelectorAll('body *')) {
        const style = getComputedStyle(e);
        if (style.display === 'none' || style.visibility === 'hidden' || e.closest('[style*="display: none"]')) continue;
        const text = [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
        if (text && parseFloat(style.fontSize) < min) problems.push(name(e) + ' text of ' + style.fontSize);
        if (e.tagName === 'CANVAS' || e.closest('.uplot')) continue;
        if (text && style.display !== 'inline' && (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1))
          problems.push(name(e) + ' overflows: ' + e.scrollWidth + 'x' + e.scrollHeight + ' in ' + e.clientWidth + 'x' + e.clientHeight);
        const r = e.getBoundingClientRect();
        if (r.width && (r.right > innerWidth + 1 || r.bottom > innerHeight + 1 || r.left < -1 || r.top < -1))
          problems.push(name(e) + ' is off the screen');
        const tile = e.closest('.tile');
        if (tile && r.width) {
          const t = tile.getBoundingClientRect();
          if (r.right > t.right + 1 || r.bottom > t.bottom + 1 || r.left < t.left - 1 || r.top < t.top - 1)
            problems.push(name(e) + ' is cut by its tile');
        }
      }
      // Text contrast, WCAG AA: 4.5:1 against the nearest opaque ground.
      const rgba = (c) => {
        const m = /rgba?\\(([^)]+)\\)/.exec(c);
        if (!m) return null;
        const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
        return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
      };
      const luminance = (c) => {
        const f = (v) => (v /= 255) <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
      };
      const ground = (e) => {
        for (let x = e; x; x = x.parentElement) {
          const c = rgba(getComputedStyle(x).backgroundColor);
          if (c && c[3] > 0.5) return c;
        }
        return [255, 255, 255, 1];
      };
      for (const e of document.querySelectorAll('body *')) {
        const style = getComputedStyle(e);
        if (style.display === 'none' || style.visibility === 'hidden' || e.closest('[style*="display: none"]')) continue;
        if (![...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
        const back = ground(e);
        const fore = rgba(style.color);
        const a = fore[3];
        const mixed = [0, 1, 2].map((i) => fore[i] * a + back[i] * (1 - a));
        const [hi, lo] = [luminance(mixed), luminance(back)].sort((x, y) => y - x);
        const ratio = (hi + 0.05) / (lo + 0.05);
        if (ratio < 4.5) problems.push(name(e) + ' has a contrast of ' + ratio.toFixed(2) + ':1, under 4.5:1');
      }
      // Charts (uPlot, which the kit puts on its box as .plot) draw their labels on a canvas: each
      // label's box, as uPlot lays it out, must be on the canvas, and the canvas in its box.
      const measure = document.createElement('canvas').getContext('2d');
      for (const chart of document.querySelectorAll('.chart')) {
        const u = chart.plot;
        if (!u || !u.ctx) continue;
        if (u.width > chart.clientWidth + 1 || u.height > chart.clientHeight + 1)
          problems.push('a chart of ' + u.width + 'x' + u.height + ' is cut by its box of ' + chart.clientWidth + 'x' + chart.clientHeight);
        const canvas = u.ctx.canvas;
        const ratio = devicePixelRatio;
        for (const a of u.axes) {
          if (!a._values || !a._splits) continue;
          measure.font = a.font[0];
          const shift = ((a.ticks.show ? a.ticks.size : 0) + a.gap) * ratio * (a.side === 0 || a.side === 3 ? -1 : 1);
          const base = a._pos * ratio + shift;
          a._values.forEach((text, k) => {
            if (text === null || text === undefined) return;
            const pos = u.valToPos(a._splits[k], a.scale, true);
            const w = measure.measureText(String(text)).width;
            const h = a.font[1];
            const box = a.side % 2 === 0 ? [pos - w / 2, base, pos + w / 2, base + h]
              : a.side === 3 ? [base - w, pos - h / 2, base, pos + h / 2] : [base, pos - h / 2, base + w, pos + h / 2];
            if (box[0] < -1 || box[1] < -1 || box[2] > canvas.width + 1 || box[3] > canvas.height + 1)
              problems.push('the chart label "' + text + '" is cut: ' + box.map(Math.round) + ' on a canvas of ' + canvas.width + 'x' + canvas.height);
          });
        }
      }
      // A table of keys with every row shown uses its tile's room.
      for (const body of document.querySelectorAll('.body.table')) {
        const table = body.querySelector('table');
        if (table && !body.querySelector('.more') && table.offsetHeight < 0.9 * body.clientHeight)
          problems.push('a table of ' + table.offsetHeight + ' px leaves its tile of ' + body.clientHeight + ' px empty');
      }
      return problems.join('\\n');
      """;

  /**
   * What makes the page hard to read on a wall, one problem per line; empty when nothing does: text
   * smaller than 2 % of the viewport's shorter side, an element whose text overflows its box, an
   * element off the screen or cut by its tile ({@code .tile}), a page that scrolls, a chart's label
   * cut (read from the chart's layout, as its labels are drawn on a canvas), a table of keys that
   * leaves its tile's room empty, text with a contrast under WCAG AA's 4.5:1 against its ground.
   */
  public String legibilityProblems() {
    return (String) js(LEGIBILITY);
  }

  @Override
  public void close() {
    driver.quit();
  }
}

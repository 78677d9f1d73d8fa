package dev.asyncio.sample.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A headless Chromium driven through {@code chromedriver}'s W3C WebDriver HTTP API: just the commands the dashboard
 * test needs (navigate, find, type, click, run a script, take a screenshot). Debian's {@code chromium} and
 * {@code chromium-driver} packages provide the two binaries; no browser is downloaded.
 */
public final class WebDriverSession implements AutoCloseable {

    private static final Pattern STARTED = Pattern.compile("started successfully on port (\\d+)");
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Process driver;
    private final Path profile;
    private final String base;
    private final String session;

    private WebDriverSession(String chromedriver, String chromium) throws Exception {
        profile = Files.createTempDirectory("asyncio-dashboard-chromium");
        driver = new ProcessBuilder(chromedriver, "--port=0").redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        int[] port = new int[1];
        CountDownLatch started = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(driver.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    Matcher m = STARTED.matcher(line);
                    if (m.find()) {
                        port[0] = Integer.parseInt(m.group(1));
                        started.countDown();
                    }
                }
            } catch (IOException ignored) {
                // The driver ended; close() cleans up.
            } finally {
                started.countDown();
            }
        }, "chromedriver-log");
        reader.setDaemon(true);
        reader.start();
        if (!started.await(30, TimeUnit.SECONDS) || port[0] == 0) {
            driver.destroyForcibly();
            throw new IllegalStateException("chromedriver did not start");
        }
        base = "http://127.0.0.1:" + port[0];
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("binary", chromium);
        options.put("args", List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--window-size=1200,900",
                "--user-data-dir=" + profile));
        JsonNode created = call("POST", "/session", Map.of("capabilities",
                Map.of("alwaysMatch", Map.of("browserName", "chrome", "goog:chromeOptions", options))));
        session = created.get("sessionId").asString();
    }

    /**
     * @param chromedriver path of {@code chromedriver}
     * @param chromium     path of the browser binary
     * @return a new browser session
     * @throws Exception if the driver or the browser cannot start
     */
    public static WebDriverSession start(String chromedriver, String chromium) throws Exception {
        return new WebDriverSession(chromedriver, chromium);
    }

    /** @param url the page to open @throws Exception on a WebDriver error */
    public void navigate(String url) throws Exception {
        call("POST", "/session/" + session + "/url", Map.of("url", url));
    }

    /** @param css a CSS selector @return the first matching element's id @throws Exception if none matches */
    public String find(String css) throws Exception {
        JsonNode e = call("POST", "/session/" + session + "/element", Map.of("using", "css selector", "value", css));
        JsonNode id = e.has(ELEMENT) ? e.get(ELEMENT) : e.get("ELEMENT");
        if (id == null) {
            throw new IllegalStateException("no element reference for " + css + " in " + e);
        }
        return id.asString();
    }

    /** @param element an element id @param text keys to type @throws Exception on a WebDriver error */
    public void type(String element, String text) throws Exception {
        call("POST", "/session/" + session + "/element/" + element + "/value", Map.of("text", text));
    }

    /** @param element an element id @throws Exception on a WebDriver error */
    public void click(String element) throws Exception {
        call("POST", "/session/" + session + "/element/" + element + "/click", Map.of());
    }

    /**
     * @param script a function body; {@code return} gives the value
     * @return the value as JSON
     * @throws Exception on a WebDriver or script error
     */
    public JsonNode script(String script) throws Exception {
        return call("POST", "/session/" + session + "/execute/sync", Map.of("script", script, "args", List.of()));
    }

    /** @return a PNG of the window @throws Exception on a WebDriver error */
    public byte[] screenshot() throws Exception {
        return Base64.getDecoder().decode(call("GET", "/session/" + session + "/screenshot", null).asString());
    }

    private JsonNode call(String method, String path, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json");
        request = body == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode answer = json.readTree(response.body());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("WebDriver " + method + " " + path + " failed: " + response.body());
        }
        return answer.get("value");
    }

    @Override
    public void close() throws Exception {
        try {
            if (session != null) {
                call("DELETE", "/session/" + session, null);
            }
        } catch (Exception ignored) {
            // The browser may be gone already; the driver is stopped below either way.
        } finally {
            driver.destroy();
            if (!driver.waitFor(10, TimeUnit.SECONDS)) {
                driver.destroyForcibly();
            }
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}

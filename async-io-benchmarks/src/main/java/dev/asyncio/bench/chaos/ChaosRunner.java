package dev.asyncio.bench.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * Runs the chaos scenarios against the packaged sample app and reports them (see {@code async-io-benchmarks/chaos.sh}).
 *
 * <pre>
 * java -cp async-io-benchmarks.jar dev.asyncio.bench.chaos.ChaosRunner --jar SAMPLE.jar [--out DIR]
 *      [--port-base 25000] [--list] [scenario ...]
 * </pre>
 *
 * <p>Without names it runs every scenario, in the order listed by {@code --list}. Each scenario starts its own sample
 * process on its own block of ports ({@code port-base + 10 * position}); its log goes to {@code DIR/chaos/<name>.log}.
 * Per scenario it prints name, pass criterion, figures and PASS/FAIL/SKIP, then a summary table, also written to
 * {@code DIR/CHAOS.md}. Exits 1 if any scenario failed, 2 on a usage error.
 */
public final class ChaosRunner {

    private static final List<Scenario> ALL = List.of(
            new IdleThenConnectScenario(),
            new BudgetAttackScenario(),
            new DescriptorExhaustionScenario(),
            new SpoofedDatagramScenario(),
            new SlowTlsScenario(),
            new SigtermUnderLoadScenario());

    private ChaosRunner() {
    }

    /**
     * @param args see the class comment
     * @throws Exception when the report cannot be written or the jar's certificate cannot be read
     */
    public static void main(String[] args) throws Exception {
        Path jar = null;
        Path out = Path.of("async-io-benchmarks", "build");
        int portBase = 25000;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> jar = Path.of(value(args, ++i, "--jar"));
                case "--out" -> out = Path.of(value(args, ++i, "--out"));
                case "--port-base" -> portBase = Integer.parseInt(value(args, ++i, "--port-base"));
                case "--list" -> {
                    ALL.forEach(s -> System.out.println(s.name() + ": " + s.criterion()));
                    return;
                }
                default -> names.add(args[i]);
            }
        }
        if (jar == null || !Files.isRegularFile(jar)) {
            usage("--jar must name the packaged sample jar, got " + jar);
        }
        List<Scenario> chosen = choose(names);
        // Whatever happens to the harness, it leaves no sample process behind.
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly)));
        SSLContext tls = ChaosEnv.tlsFor(jar);
        List<ScenarioResult> results = new ArrayList<>();
        for (Scenario s : chosen) {
            ChaosEnv env = new ChaosEnv(jar, out, SamplePorts.block(portBase, ALL.indexOf(s)), s.name(), tls);
            System.out.println(">> " + s.name() + " ...");
            long t0 = System.nanoTime();
            Outcome outcome;
            try {
                outcome = s.run(env);
            } catch (Exception | AssertionError e) {
                outcome = new Outcome();
                outcome.check(false, "threw " + e.toString().replace('\n', ' '));
            }
            ScenarioResult r = new ScenarioResult(s.name(), s.criterion(), outcome, (System.nanoTime() - t0) / 1e9);
            results.add(r);
            System.out.println(ChaosReport.block(r));
        }
        String md = ChaosReport.markdown(Instant.now().truncatedTo(ChronoUnit.SECONDS) + ", " + jar.getFileName()
                + ", " + Runtime.getRuntime().availableProcessors() + " cores", results);
        Files.createDirectories(out);
        Path report = out.resolve("CHAOS.md");
        Files.writeString(report, md, StandardCharsets.UTF_8);
        System.out.println(md);
        System.out.println("(written to " + report + "; sample logs in " + out.resolve("chaos") + ")");
        System.exit(ChaosReport.failed(results) > 0 ? 1 : 0);
    }

    private static List<Scenario> choose(List<String> names) {
        if (names.isEmpty()) {
            return ALL;
        }
        List<Scenario> chosen = new ArrayList<>();
        for (Scenario s : ALL) {
            if (names.contains(s.name())) {
                chosen.add(s);
            }
        }
        for (String n : names) {
            if (ALL.stream().noneMatch(s -> s.name().equals(n))) {
                usage("unknown scenario " + n + "; known: "
                        + ALL.stream().map(Scenario::name).collect(Collectors.joining(", ")));
            }
        }
        return chosen;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            usage(option + " needs a value");
        }
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println("chaos: " + problem);
        System.err.println("usage: ChaosRunner --jar SAMPLE.jar [--out DIR] [--port-base N] [--list] [scenario ...]");
        System.exit(2);
    }
}
